package io.msf.files.properties;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.felix.utils.properties.Properties.PropertiesReader;

/**
 * The keys a {@code .cfg} or {@code .config} file sets, each with the line its value starts on and the
 * value as written. Read with Felix Utils' reader, the one FileInstall embeds, so that a value going on
 * over {@code \}-ended lines, a comment and an escaped key count as they count for FileInstall: a
 * line that merely starts with a key's name (inside a value, say) is not taken for it.
 */
public final class KeyLines {

    /**
     * @param key the key, unescaped
     * @param line the line, from 1, its value starts on
     * @param value the value as written, before substitution of {@code ${...}}
     */
    public record Entry(String key, int line, String value) {
    }

    private KeyLines() {
    }

    /** Every key given, in the file's order (a key given twice: twice). */
    public static List<Entry> of(String text) {
        List<Entry> entries = new ArrayList<>();
        try {
            PropertiesReader reader = new PropertiesReader(new StringReader(text), true);
            while (reader.nextProperty()) {
                int line = reader.getLineNumber() - reader.getValueLines().size() + 1;
                entries.add(new Entry(reader.getPropertyName(), line, reader.getPropertyValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        return entries;
    }

    /** The line that sets {@code key}; the last of several, as FileInstall takes the last value. */
    public static Optional<Integer> lineOf(String text, String key) {
        Integer found = null;
        for (Entry entry : of(text)) {
            if (entry.key().equals(key)) {
                found = entry.line();
            }
        }
        return Optional.ofNullable(found);
    }
}
