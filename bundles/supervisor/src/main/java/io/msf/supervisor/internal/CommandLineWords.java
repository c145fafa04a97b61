package io.msf.supervisor.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the {@code args} and {@code jvmOptions} values into words: blanks separate words,
 * {@code '...'} and {@code "..."} keep blanks inside one. No variables, no globbing, no escapes:
 * the words go to the program as they are, with no shell in between.
 */
final class CommandLineWords {

    private CommandLineWords() {
    }

    /**
     * @throws IllegalArgumentException a quote is not closed, or the value holds a NUL character (the message
     *     names {@code key})
     */
    static List<String> split(String key, String value) {
        if (value.indexOf('\0') >= 0) {
            // the JDK refuses to start a program with one in an argument: every start would fail
            throw new IllegalArgumentException(key + ": holds a NUL character (\\u0000), which no program argument"
                    + " can: " + nulsShown(value));
        }
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException(key + ": the quote " + quote + " is not closed in: " + value);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }

    /** {@code value} with each NUL character written as a backslash, 'u' and four zeros: a log line would drop it. */
    static String nulsShown(String value) {
        return value.replace("\0", "\\u0000");
    }
}
