package io.msf.config.internal;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.utils.properties.Properties.PropertiesReader;

/**
 * A value of a properties file that goes on past the end of the file.
 *
 * @param key the key whose value it is
 * @param line the line the key starts on
 */
record UnfinishedValue(String key, int line) {

    /**
     * The key of {@code text} whose value still goes on where the text ends: its last line that is
     * not blank nor a comment ends with a continuing {@code '\\'} (an odd number of them). Felix's
     * reader, FileInstall's, drops such a key without a word, so that its default applies instead: a
     * file cut short, or a list whose last element was removed with the line before it left continuing.
     *
     * @param read the line each key the reader took starts on
     */
    static Optional<UnfinishedValue> of(String text, Map<String, Integer> read) {
        int number = 0;
        int start = 0;
        String first = null;
        boolean continuing = false;
        for (String line : (Iterable<String>) text.lines()::iterator) {
            number++;
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith("!")) {
                continue; // Felix's reader skips these inside a value too
            }
            if (!continuing) {
                start = number;
                first = line;
            }
            continuing = endsContinuing(line); // not stripped: "\\ " at the end is a space, as Felix reads it
        }
        if (!continuing) {
            return Optional.empty();
        }
        try {
            PropertiesReader key = new PropertiesReader(new StringReader(first.substring(0, first.length() - 1)), true);
            if (!key.nextProperty()) {
                return Optional.empty();
            }
            UnfinishedValue lost = new UnfinishedValue(key.getPropertyName(), start);
            return Integer.valueOf(start).equals(read.get(lost.key())) ? Optional.empty() : Optional.of(lost);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean endsContinuing(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
