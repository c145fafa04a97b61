package io.msf.shell.internal;

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
        int best = (wanted.length() > 4 ? 2 : 1) + 1;
        List<String> closest = new ArrayList<>();
        for (String command : new TreeSet<>(commands)) {
            String compared = command.toLowerCase(Locale.ROOT);
            int distance = distance(wanted, scoped ? compared : compared.substring(compared.indexOf(':') + 1));
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

    /** Edits (insert, delete, replace, swap of two neighbours) from {@code a} to {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
