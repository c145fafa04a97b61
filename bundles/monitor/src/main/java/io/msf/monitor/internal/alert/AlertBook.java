package io.msf.monitor.internal.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The open alerts, updated once per sampling round. Safe for one updating thread and any number of
 * readers.
 */
public final class AlertBook {

    private record Key(AlertKind kind, String subject) {
    }

    /**
     * Rounds in a row an open alert's subject may be missing from the samples before the alert clears.
     * A service is briefly absent as a hot swap stops the old version's bundle and the new one's takes
     * over, or as a process on the agent's sockets reconnects: clearing its alert then would tell the
     * alert's followers it cleared, and raise it again a second later, while nothing changed.
     */
    public static final int ABSENT_ROUNDS = 3;

    private final Map<Key, Alert> open = new LinkedHashMap<>();
    private final Map<Key, Integer> absentRounds = new HashMap<>();
    /** How many readings in a row the figure of an open alert has been unknown. */
    private final Map<Key, Integer> unknownRun = new HashMap<>();

    /**
     * Applies one round of readings: raises an alert for a figure at or above its limit, clears one whose
     * figure is back under the clear level (or, if its threshold was changed, below the new
     * threshold), and clears an open alert without a reading this round whose subject was sampled (its
     * threshold was turned off). A reading of an unknown figure (negative) raises nothing and leaves an
     * open alert as it is, with the figure last known: unknown is not back under, and a figure that is
     * coming (a thread group whose threads were replaced, known again once the new ones span the alert
     * window) must not clear the alert and raise it again a window later. Once its figure has stayed unknown
     * {@code unknownRounds} rounds after the first unknown reading, though, no figure is coming (a thread
     * group whose threads all live shorter than the window): the alert clears, with the figure last known, a
     * change that says so, as nothing
     * shows the condition any longer and it would otherwise stay open for as long as the subject lives. An
     * open alert whose subject is not among those sampled stays open, with the figure last read, until its
     * subject has been missing {@link #ABSENT_ROUNDS} rounds in a row (it went away for good: a stopped bundle, an undeployed
     * service), a change that says so.
     *
     * @param subjects every subject of this round's sample, with a reading or not
     * @param now when the round was sampled: what a raised alert says it was raised at
     * @param unknownRounds how many rounds after its first unknown reading an open alert's figure may stay
     *     unknown before the alert clears: counted in rounds, not by {@code now}, a wall-clock time that may
     *     step forward (NTP, a resumed VM) while whether a figure is known follows the samples' monotonic clock
     * @return the alerts raised and cleared, in reading order, then the vanished ones
     */
    public synchronized List<AlertChange> update(List<Reading> readings, Set<String> subjects, Instant now,
            int unknownRounds) {
        Objects.requireNonNull(now, "now");
        if (unknownRounds < 1) {
            throw new IllegalArgumentException("unknownRounds " + unknownRounds + " is not at least 1");
        }
        List<AlertChange> changes = new ArrayList<>();
        Map<Key, Alert> previous = new LinkedHashMap<>(open);
        for (Reading reading : readings) {
            Key key = new Key(reading.kind(), reading.subject());
            Alert current = previous.remove(key);
            absentRounds.remove(key);
            if (reading.value() < 0) {
                if (current != null && unknownTooLong(key, unknownRounds)) {
                    open.remove(key);
                    changes.add(new AlertChange(false, current, false, true));
                }
                continue;
            }
            unknownRun.remove(key);
            if (current == null) {
                if (reading.limit().raises(reading.value())) {
                    Alert raised = new Alert(reading.kind(), reading.subject(), reading.value(),
                            reading.limit().raiseAt(), now);
                    open.put(key, raised);
                    changes.add(new AlertChange(true, raised));
                }
            } else if (clears(current, reading)) {
                open.remove(key);
                changes.add(new AlertChange(false, current.withValue(reading.value())));
            } else {
                open.put(key, current.withValue(reading.value()).withThreshold(reading.limit().raiseAt()));
            }
        }
        for (Iterator<Map.Entry<Key, Alert>> gone = previous.entrySet().iterator(); gone.hasNext();) {
            Map.Entry<Key, Alert> entry = gone.next();
            Key key = entry.getKey();
            boolean missing = !subjects.contains(key.subject());
            if (missing && absentRounds.merge(key, 1, Integer::sum) < ABSENT_ROUNDS) {
                continue;
            }
            absentRounds.remove(key);
            unknownRun.remove(key);
            open.remove(key);
            changes.add(new AlertChange(false, entry.getValue(), missing));
        }
        return changes;
    }

    /** True once the alert's figure has stayed unknown {@code unknownRounds} rounds after the first unknown reading of this run. */
    private boolean unknownTooLong(Key key, int unknownRounds) {
        if (unknownRun.merge(key, 1, Integer::sum) <= unknownRounds) {
            return false;
        }
        unknownRun.remove(key);
        return true;
    }

    /**
     * Below the clear level; or, when the threshold was changed since the alert was raised, below
     * the new threshold: hysteresis keeps a figure hovering at one threshold from flapping, but an alert
     * raised over 90 % must not stay open at 95 % once the threshold is 99 %.
     */
    private static boolean clears(Alert current, Reading reading) {
        Limit limit = reading.limit();
        return current.threshold() == limit.raiseAt() ? limit.clears(reading.value())
                : !limit.raises(reading.value());
    }

    /** Closes every open alert, for a monitor that stops; returns them, oldest first. */
    public synchronized List<Alert> closeAll() {
        List<Alert> closed = List.copyOf(open.values());
        open.clear();
        absentRounds.clear();
        unknownRun.clear();
        return closed;
    }

    /** The open alerts, oldest first. */
    public synchronized List<Alert> open() {
        return List.copyOf(open.values());
    }
}
