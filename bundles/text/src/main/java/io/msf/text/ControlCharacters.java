package io.msf.text;

import java.util.function.IntPredicate;

/**
 * The characters a terminal obeys rather than prints, and text with them made visible. A failure's
 * text may come from a peer (a handler's error, through the agent) or from whatever an exception
 * quotes: printed as it is, an escape sequence in it clears the operator's screen, sets the window
 * title or paints a false prompt; written into a log line, a line feed in it starts a line the peer
 * wrote, which reads as the program's own.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    /**
     * Whether a terminal would obey {@code c}: C0 controls but line feed and tab, DEL, and C1
     * controls (U+0080 to U+009F; a terminal takes U+009B as ESC [).
     */
    public static boolean obeyed(char c) {
        return Character.isISOControl(c) && c != '\n' && c != '\t';
    }

    /**
     * {@code text} with each character a terminal would obey written as a Java escape that prints
     * as itself: ESC as <code>&#92;u001b</code>, a carriage return as <code>&#92;u000d</code>. Line
     * feeds and tabs stay, so a failure of several lines still reads as several lines.
     */
    public static String escaped(String text) {
        return escaped(text, c -> obeyed((char) c));
    }

    /**
     * {@code text} with every control character written as a Java escape, line feeds
     * (<code>&#92;u000a</code>) and tabs too: for a peer's text that goes into one line of a log or
     * an exception's message, where a line of its own would pass for one the program wrote.
     */
    public static String escapedOnOneLine(String text) {
        return escaped(text, c -> Character.isISOControl(c));
    }

    private static String escaped(String text, IntPredicate escape) {
        if (text.chars().noneMatch(escape)) {
            return text; // the usual case: no copy
        }
        StringBuilder visible = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (escape.test(c)) {
                visible.append(String.format("\\u%04x", (int) c));
            } else {
                visible.append(c);
            }
        }
        return visible.toString();
    }
}
