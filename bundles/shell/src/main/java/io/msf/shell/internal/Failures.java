package io.msf.shell.internal;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandSession;

/** Turns a failure into the words an operator needs. */
public final class Failures {

    /** Gogo's words for arguments that fit none of a command's forms; group 1 is the function. */
    private static final Pattern CANNOT_COERCE = Pattern.compile("Cannot coerce ([^(\\s]+)\\(");
    /** Gogo's words for a name that is no command; group 1 is the name as typed. */
    private static final Pattern NOT_FOUND = Pattern.compile("Command not found: (\\S+)");
    /** The session variable Gogo answers with its commands, as {@code scope:function} names. */
    private static final String COMMANDS = ".commands";
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
        return ofLine(failure, line, List::of);
    }

    /**
     * {@link #ofLine(Throwable, String)}, and for a name that is no command, {@code Command not
     * found: agent:sned}, the commands it is closest to among the session's: {@code (did you mean
     * agent:send?)}.
     */
    public static String ofLine(Throwable failure, String line, CommandSession session) {
        return ofLine(failure, line, () -> commandsOf(session));
    }

    /** The commands are asked for only for a name that is no command: any other failure needs none. */
    private static String ofLine(Throwable failure, String line, Supplier<Collection<String>> commands) {
        String message = describe(failure);
        Matcher notFound = NOT_FOUND.matcher(message);
        if (notFound.matches()) {
            return message + CommandSuggestion.of(notFound.group(1), commands.get())
                    .map(c -> " (did you mean " + c + "?)").orElse("");
        }
        Matcher coerce = CANNOT_COERCE.matcher(message);
        if (!(failure instanceof IllegalArgumentException) || !coerce.lookingAt()) {
            return message;
        }
        String command = typed(line, coerce.group(1));
        return command + ": wrong arguments (" + message + "); 'help " + command + "' shows what it takes";
    }

    /** Gogo's commands, {@code scope:function}, as a session lists them; none if it does not. */
    private static List<String> commandsOf(CommandSession session) {
        try {
            return session.get(COMMANDS) instanceof Collection<?> names
                    ? names.stream().map(String::valueOf).toList() : List.of();
        } catch (RuntimeException e) {
            return List.of(); // no suggestion is better than no failure message
        }
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
