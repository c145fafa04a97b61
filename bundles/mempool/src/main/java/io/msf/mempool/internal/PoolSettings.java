package io.msf.mempool.internal;

import io.msf.settings.ConfigValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code msf.mempool} configuration, checked as a whole: a file with one bad value changes
 * nothing, so the pool never runs on half a configuration.
 *
 * @param limits the limits to apply
 * @param leakReportsKept how many leak reports to keep
 */
record PoolSettings(Limits limits, int leakReportsKept) {

    static final PoolSettings DEFAULTS = new PoolSettings(Limits.NONE, 100);
    /** The bound of {@link MemoryPoolConfiguration#leakReportsKept}, checked again past the config gate. */
    static final int MAX_LEAK_REPORTS_KEPT = 10_000;

    /** The OSGi symbolic-name grammar: dot-separated tokens of letters, digits, '_' and '-'. */
    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[\\w-]+(\\.[\\w-]+)*");

    /** @throws IllegalArgumentException naming the key and the value at fault */
    static PoolSettings from(MemoryPoolConfiguration configured) {
        MemoryPoolConfiguration config = ConfigValues.naming(MemoryPoolConfiguration.class, configured);
        // read outside the parse: one that cannot be read names its key already
        long defaultLimit = parseDefaultLimit(config.defaultLimit());
        Map<String, Long> byBundle = parseBundleLimits(config.bundleLimits());
        int kept = config.leakReportsKept();
        if (kept < 0) {
            throw new IllegalArgumentException("leakReportsKept: " + kept + " is negative; use 0 to keep none");
        }
        if (kept > MAX_LEAK_REPORTS_KEPT) {
            throw new IllegalArgumentException("leakReportsKept: " + kept + " is more than " + MAX_LEAK_REPORTS_KEPT);
        }
        return new PoolSettings(new Limits(defaultLimit, byBundle), kept);
    }

    /** For the log: {@code default limit 64MiB, bundle limits {io.msf.net=256MiB}, 100 leak reports kept}. */
    String describe() {
        String byBundle = limits.byBundle().entrySet().stream().map(e -> e.getKey() + "=" + size(e.getValue()))
                .sorted().collect(Collectors.joining(", ", "{", "}"));
        return "default limit " + size(limits.defaultLimit()) + ", bundle limits " + byBundle + ", " + leakReportsKept
                + " leak reports kept";
    }

    private static String size(long limit) {
        return limit == 0 ? "none" : ByteSize.format(limit);
    }

    /**
     * Reads {@code 64MiB}, as {@link ByteSize#parse} does.
     *
     * @throws IllegalArgumentException {@code "defaultLimit: <why>"}
     */
    static long parseDefaultLimit(String text) {
        try {
            return ByteSize.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("defaultLimit: " + e.getMessage(), e);
        }
    }

    /** Reads {@code io.msf.demo.echo=64MiB, io.msf.net=256MiB}; blank means no exceptions. */
    static Map<String, Long> parseBundleLimits(String text) {
        Map<String, Long> limits = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return limits;
        }
        String[] entries = text.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            String where = "bundleLimits: entry " + (i + 1) + " '" + entry + "'";
            int equals = entry.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException(where + " is not symbolic.name=size (e.g. io.msf.net=256MiB)");
            }
            String name = entry.substring(0, equals).strip();
            if (!SYMBOLIC_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": '" + name + "' is not a bundle symbolic name");
            }
            long limit;
            try {
                limit = ByteSize.parse(entry.substring(equals + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            if (limits.put(name, limit) != null) {
                throw new IllegalArgumentException(where + ": " + name + " is named twice");
            }
        }
        return limits;
    }
}
