package io.msf.config.internal;

import io.msf.text.Cut;

/**
 * A value from a configuration file as the gate's messages show it: in quotes, and cut after
 * {@value #SHOWN} characters. A certificate pasted whole, or a megabyte line, would otherwise be
 * repeated into every log line and console answer that names the key; the key and line already
 * say where it is.
 */
final class Quoted {

    /** Enough to recognise a value, short enough to keep a message on a line or two. */
    static final int SHOWN = 80;

    private Quoted() {
    }

    /** {@code 'value'}, or its first characters with {@code ... (n more characters)} inside the quotes. */
    static String value(Object value) {
        return "'" + shortened(String.valueOf(value)) + "'";
    }

    /** {@code text} whole, or its first {@value #SHOWN} characters and how many more there are. */
    static String shortened(String text) {
        if (text.length() <= SHOWN) {
            return text;
        }
        String shown = Cut.atMost(text, SHOWN);
        return shown + "... (" + (text.length() - shown.length()) + " more characters)";
    }
}
