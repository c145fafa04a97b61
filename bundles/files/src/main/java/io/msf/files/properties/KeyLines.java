package io.msf.files.properties;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** A key whose escape Felix's reader cannot take (a {@code \\u} without four hex digits): FileInstall fails the file. */
    public static final class UnreadableKey extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;
        /** The line, from 1, the key ends on. */
        public final int line;
        /** The key as written, escapes and all. */
        public final String written;

        UnreadableKey(int line, String written, IllegalArgumentException cause) {
            super(cause.getMessage(), cause);
            this.line = line;
            this.written = written;
        }
    }

    /** A key as written at the start of a line, up to its first unescaped separator. */
    private static final Pattern WRITTEN_KEY = Pattern.compile("^\\s*((?:\\\\.|[^=:\\s\\\\])+)");

    private KeyLines() {
    }

    /**
     * Every key given, in the file's order (a key given twice: twice).
     *
     * @throws UnreadableKey at the first key with an escape that cannot be read
     */
    public static List<Entry> of(String text) {
        List<Entry> entries = new ArrayList<>();
        // split as the reader splits: at \n, \r and \r\n
        List<String> lines = text.lines().toList();
        try {
            PropertiesReader reader = new PropertiesReader(new StringReader(text), true);
            while (true) {
                int linesBefore = reader.getLineNumber();
                if (!next(reader, lines, linesBefore)) {
                    break;
                }
                entries.add(new Entry(reader.getPropertyName(), firstValueLine(lines, linesBefore),
                        reader.getPropertyValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        return entries;
    }

    private static boolean next(PropertiesReader reader, List<String> lines, int linesBefore) throws IOException {
        try {
            return reader.nextProperty();
        } catch (IllegalArgumentException e) {
            // the key is read, and fails, after its value's lines: it is on the first of them
            int line = firstValueLine(lines, linesBefore);
            String written = lines.stream().skip(line - 1).findFirst()
                    .map(WRITTEN_KEY::matcher).filter(Matcher::find).map(m -> m.group(1)).orElse("");
            throw new UnreadableKey(line, written, e);
        }
    }

    /**
     * The line, from 1, of the first value line after the {@code linesBefore} lines the reader had read
     * before the property: the first that is neither blank nor a comment, as the reader skips those. Not
     * counted back from the reader's line number after the property: blank and comment lines inside a
     * value going on over {@code \}-ended lines are skipped too (the next line is joined to the value,
     * as FileInstall joins it) but left out of the reader's value lines, so counting back from the value's
     * last line put the key that many lines too far down.
     */
    private static int firstValueLine(List<String> lines, int linesBefore) {
        for (int i = linesBefore; i < lines.size(); i++) {
            if (!isBlankOrComment(lines.get(i))) {
                return i + 1;
            }
        }
        return linesBefore + 1; // not reached: the reader found a property after these lines
    }

    /** Felix's test, {@code Properties.isCommentLine} (not public): blank, or starting with '#' or '!'. */
    private static boolean isBlankOrComment(String line) {
        String trimmed = line.trim();
        return trimmed.isEmpty() || trimmed.charAt(0) == '#' || trimmed.charAt(0) == '!';
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
