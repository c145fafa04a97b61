package io.msf.config.internal;

import io.msf.settings.Typos;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The known key an unknown one most likely stands for: a typo ({@code prot} for {@code port}: two
 * letters swapped, one missing, doubled or wrong), another case ({@code Host}), or the start of
 * one key alone ({@code interval} for {@code intervalMillis}). Among a
 * component's twenty keys, the one meant is not easy to see in the list alone.
 */
final class KeySuggestion {

    /** The shortest key taken for the start of a longer one. */
    private static final int MIN_PREFIX = 4;

    private KeySuggestion() {
    }

    /**
     * @return the one known key within 1 edit of {@code key} (2 for keys longer than 4 characters),
     *     ignoring case, else the one known key that starts with {@code key} (4 characters or
     *     more); none if there is none, or more than one
     */
    static Optional<String> of(String key, Collection<String> known) {
        String wanted = key.toLowerCase(Locale.ROOT);
        int limit = Typos.limit(wanted);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        boolean tie = false;
        for (String candidate : known) {
            String compared = candidate.toLowerCase(Locale.ROOT);
            int distance = Typos.distance(wanted, compared, limit);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
                tie = false;
            } else if (distance == bestDistance) {
                tie = true;
            }
        }
        if (best != null && bestDistance <= limit && !tie) {
            return Optional.of(best);
        }
        return wanted.length() < MIN_PREFIX ? Optional.empty() : onlyOneStartingWith(wanted, known);
    }

    /** {@code interval} for {@code intervalMillis}: a key written without its unit. */
    private static Optional<String> onlyOneStartingWith(String wanted, Collection<String> known) {
        List<String> longer = known.stream().filter(k -> k.toLowerCase(Locale.ROOT).startsWith(wanted)).toList();
        return longer.size() == 1 ? Optional.of(longer.get(0)) : Optional.empty();
    }
}
