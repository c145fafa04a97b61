package io.msf.monitor.internal;

import io.msf.monitor.internal.alert.Alert;
import io.msf.monitor.internal.alert.AlertBook;
import io.msf.monitor.internal.alert.AlertChange;
import java.util.HashMap;
import java.util.Map;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;

/**
 * Tells the world about an alert raised or cleared: an EventAdmin event on {@code msf/alert/<kind>}
 * (posted, so a slow handler never holds up sampling) and a log line, WARN when raised. A clear says
 * whether the figure came back under, stayed unknown too long or the subject went away (its figure then the
 * last one read).
 */
final class AlertAnnouncer {

    /** Event properties. */
    static final String KIND = "kind";
    static final String SUBJECT = "subject";
    static final String STATE = "state";
    static final String VALUE = "value";
    static final String THRESHOLD = "threshold";
    static final String SINCE = "since";
    static final String MESSAGE = "message";
    /** On a clear: true when the alert's subject is no longer sampled, not its figure back under. */
    static final String GONE = "gone";
    /** On a clear: true when the alert's figure stayed unknown too long, not its figure back under. */
    static final String UNKNOWN = "unknown";

    private final EventAdmin events;
    private final Logger log;

    AlertAnnouncer(EventAdmin events, Logger log) {
        this.events = events;
        this.log = log;
    }

    /**
     * @param thresholdSource where the crossed threshold is configured, named in the WARN line
     */
    void announce(AlertChange change, String thresholdSource) {
        String message = message(change, thresholdSource);
        if (change.raised()) {
            log.warn(message);
        } else {
            log.info(message);
        }
        post(change, message);
    }

    private static String message(AlertChange change, String thresholdSource) {
        Alert alert = change.alert();
        String head = "Alert " + alert.kind().token() + " " + change.state() + " for " + alert.subject() + ": ";
        if (change.raised()) {
            return head + alert.kind().format(alert.value()) + " is at or over the threshold "
                    + alert.kind().format(alert.threshold()) + " (" + thresholdSource + ")";
        }
        if (change.subjectGone()) {
            // Its figure is the last one read, maybe still over: it must not read as a figure back under.
            return head + alert.subject() + " is no longer sampled (gone for " + AlertBook.ABSENT_ROUNDS
                    + " samples); last value " + alert.kind().format(alert.value()) + ", raised at " + alert.since();
        }
        if (change.figureUnknown()) {
            return head + "its figure has been unknown for the alert window and a sample more, nothing shows the"
                    + " condition any longer; last value " + alert.kind().format(alert.value()) + ", raised at "
                    + alert.since();
        }
        return head + alert.kind().format(alert.value()) + ", raised at " + alert.since();
    }

    /** Clears an alert that no figure cleared: the monitor stops, and nothing will clear it after. */
    void announceStopped(Alert alert) {
        String message = "Alert " + alert.kind().token() + " cleared for " + alert.subject() + ": the monitor stopped ("
                + alert.kind().format(alert.value()) + " at its last sample), raised at " + alert.since();
        log.info(message);
        post(new AlertChange(false, alert), message);
    }

    private void post(AlertChange change, String message) {
        Alert alert = change.alert();
        Map<String, Object> properties = new HashMap<>();
        properties.put(KIND, alert.kind().token());
        properties.put(SUBJECT, alert.subject());
        properties.put(STATE, change.state());
        properties.put(VALUE, alert.value());
        properties.put(THRESHOLD, alert.threshold());
        properties.put(SINCE, alert.since().toString());
        properties.put(MESSAGE, message);
        if (!change.raised()) {
            properties.put(GONE, change.subjectGone());
            properties.put(UNKNOWN, change.figureUnknown());
        }
        events.postEvent(new Event(alert.kind().topic(), properties));
    }
}
