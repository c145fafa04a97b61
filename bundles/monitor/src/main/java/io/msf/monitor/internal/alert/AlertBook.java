package io.msf.monitor.internal.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The open alerts, updated once per sampling round. Safe for one updating thread and any number of
 * readers.
 */
public final class AlertBook {

    private record Key(AlertKind kind, String subject) {
    }

    private final Map<Key, Alert> open = new LinkedHashMap<>();

    /**
     * Applies one round of readings: raises an alert for a figure above its limit, clears one whose
     * figure is back under the clear level (or, if its threshold was changed, no longer above the new
     * threshold), and clears any open alert without a reading this round (its subject went away, say a
     * stopped bundle, or its threshold was turned off).
     *
     * @return the alerts raised and cleared, in reading order, then the vanished ones
     */
    public synchronized List<AlertChange> update(List<Reading> readings, Instant now) {
        Objects.requireNonNull(now, "now");
        List<AlertChange> changes = new ArrayList<>();
        Map<Key, Alert> previous = new LinkedHashMap<>(open);
        for (Reading reading : readings) {
            Key key = new Key(reading.kind(), reading.subject());
            Alert current = previous.remove(key);
            if (current == null) {
                if (reading.limit().raises(reading.value())) {
                    Alert raised = new Alert(reading.kind(), reading.subject(), reading.value(),
                            reading.limit().raiseAbove(), now);
                    open.put(key, raised);
                    changes.add(new AlertChange(true, raised));
                }
            } else if (clears(current, reading)) {
                open.remove(key);
                changes.add(new AlertChange(false, current.withValue(reading.value())));
            } else {
                open.put(key, current.withValue(reading.value()).withThreshold(reading.limit().raiseAbove()));
            }
        }
        for (Iterator<Map.Entry<Key, Alert>> gone = previous.entrySet().iterator(); gone.hasNext();) {
            Map.Entry<Key, Alert> entry = gone.next();
            open.remove(entry.getKey());
            changes.add(new AlertChange(false, entry.getValue()));
        }
        return changes;
    }

    /**
     * Below the clear level; or, when the threshold was changed since the alert was raised, not above
     * the new threshold: hysteresis keeps a figure hovering at one threshold from flapping, but an alert
     * raised over 90 % must not stay open at 95 % once the threshold is 99 %.
     */
    private static boolean clears(Alert current, Reading reading) {
        Limit limit = reading.limit();
        return current.threshold() == limit.raiseAbove() ? limit.clears(reading.value())
                : !limit.raises(reading.value());
    }

    /** Closes every open alert, for a monitor that stops; returns them, oldest first. */
    public synchronized List<Alert> closeAll() {
        List<Alert> closed = List.copyOf(open.values());
        open.clear();
        return closed;
    }

    /** The open alerts, oldest first. */
    public synchronized List<Alert> open() {
        return List.copyOf(open.values());
    }
}
