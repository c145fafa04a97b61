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
     * figure is back under the clear level, and clears any open alert without a reading this round
     * (its subject went away, say a stopped bundle, or its threshold was turned off).
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
            } else if (reading.limit().clears(reading.value())) {
                open.remove(key);
                changes.add(new AlertChange(false, current.withValue(reading.value())));
            } else {
                open.put(key, current.withValue(reading.value()));
            }
        }
        for (Iterator<Map.Entry<Key, Alert>> gone = previous.entrySet().iterator(); gone.hasNext();) {
            Map.Entry<Key, Alert> entry = gone.next();
            open.remove(entry.getKey());
            changes.add(new AlertChange(false, entry.getValue()));
        }
        return changes;
    }

    /** The open alerts, oldest first. */
    public synchronized List<Alert> open() {
        return List.copyOf(open.values());
    }
}
