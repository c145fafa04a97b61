package io.msf.mempool.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes in bytes as config files write them: a whole number with an optional IEC suffix (64MiB). */
final class ByteSize {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?");
    private static final String ACCEPTED = "write a whole number of bytes, optionally followed by B, KiB, MiB, GiB"
            + " or TiB (1024-based), e.g. 64MiB";

    private ByteSize() {
    }

    /**
     * Reads {@code 4096}, {@code 512KiB}, {@code 64 MiB}. Strict on purpose: {@code 64MB}, {@code 64mib},
     * {@code 1.5GiB} and negative numbers are errors, not guesses, since a misread limit fails late and
     * far from the file that caused it.
     *
     * @throws IllegalArgumentException saying what was wrong and what is accepted
     */
    static long parse(String text) {
        if (text == null) {
            // SCR's value for a key set to an empty list (through Config Admin directly, past the config gate).
            throw new IllegalArgumentException("no value: " + ACCEPTED);
        }
        Matcher size = SIZE.matcher(text.strip());
        if (!size.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: " + ACCEPTED);
        }
        int shift = 10 * unitIndex(size.group(2));
        try {
            long number = Long.parseLong(size.group(1));
            if (number > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return number << shift;
        } catch (NumberFormatException tooLarge) {
            throw new IllegalArgumentException("'" + text + "' is too large a size", tooLarge);
        }
    }

    /** The shortest exact form: {@code 65536} gives {@code 64KiB}, {@code 1000} gives {@code 1000B}. */
    static String format(long bytes) {
        int unit = 0;
        while (unit < UNITS.length - 1 && bytes != 0 && (bytes & 1023) == 0) {
            bytes >>= 10;
            unit++;
        }
        return bytes + UNITS[unit];
    }

    private static int unitIndex(String unit) {
        if (unit == null) {
            return 0;
        }
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        throw new AssertionError(unit);
    }
}
