package io.msf.shell.internal;

import io.msf.settings.Typos;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The command a name Gogo does not know most likely stands for: {@code agent:sned} for
 * {@code agent:send}, {@code lbb} for {@code lb}. Gogo says only "Command not found"; among some
 * two hundred commands the one meant is not easy to find with {@code help} alone.
 */
final class CommandSuggestion {

    /** More than this many commands as close as the best: the name says too little to pick. */
    private static final int MAX_SHOWN = 3;

    private CommandSuggestion() {
    }

    /**
     * @param typed the name as typed, with its scope or without
     * @param commands Gogo's commands, {@code scope:function}
     * @return the closest commands (1 edit away for names of 4 characters or fewer, else 2; an
     *     unscoped name compared with the functions), or nothing when none is that close or too
     *     many are
     */
    static Optional<String> of(String typed, Collection<String> commands) {
        String wanted = typed.toLowerCase(Locale.ROOT);
        boolean scoped = wanted.indexOf(':') >= 0;
        // starts at the limit, not one past it: a command as close as that is kept, a farther one never
        int best = Typos.limit(wanted);
        List<String> closest = new ArrayList<>();
        for (String command : new TreeSet<>(commands)) {
            String lower = command.toLowerCase(Locale.ROOT);
            String compared = scoped ? lower : lower.substring(lower.indexOf(':') + 1);
            int distance = Typos.distance(wanted, compared, best);
            if (distance < best) {
                best = distance;
                closest.clear();
            }
            if (distance == best) {
                closest.add(command);
            }
        }
        return closest.isEmpty() || closest.size() > MAX_SHOWN ? Optional.empty()
                : Optional.of(String.join(" or ", closest));
    }
}
