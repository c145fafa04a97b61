package io.msf.shell.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a failure into the words an operator needs. */
public final class Failures {

    /** Gogo's words for arguments that fit none of a command's forms; group 1 is the function. */
    private static final Pattern CANNOT_COERCE = Pattern.compile("Cannot coerce ([^(\\s]+)\\(");
    private static final Pattern WORD_BREAK = Pattern.compile("[\\s|;{}()\\[\\]]+");

    private Failures() {
    }

    /** The message, or the exception's class when it has none (a bare NullPointerException). */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getName() : message;
    }

    /**
     * The failure of a command line. Gogo's own for arguments that fit none of a command's forms,
     * {@code Cannot coerce send(Token) to any of [(long, String, long)]}, names neither the command
     * as it was typed nor where to look: it is said with both.
     */
    public static String ofLine(Throwable failure, String line) {
        String message = describe(failure);
        Matcher coerce = CANNOT_COERCE.matcher(message);
        if (!(failure instanceof IllegalArgumentException) || !coerce.lookingAt()) {
            return message;
        }
        String command = typed(line, coerce.group(1));
        return command + ": wrong arguments (" + message + "); 'help " + command + "' shows what it takes";
    }

    /** The word of the line that called the function, with its scope if it was typed with one. */
    private static String typed(String line, String function) {
        for (String word : WORD_BREAK.split(line)) {
            if (word.equals(function) || word.endsWith(":" + function)) {
                return word;
            }
        }
        return function;
    }
}
