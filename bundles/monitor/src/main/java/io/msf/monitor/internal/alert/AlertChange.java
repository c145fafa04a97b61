package io.msf.monitor.internal.alert;

/**
 * An alert raised or cleared in a sampling round.
 *
 * @param raised true when raised, false when cleared
 * @param alert the alert, with the figure that raised or cleared it
 */
public record AlertChange(boolean raised, Alert alert) {

    /** {@code raised} or {@code cleared}: the {@code state} property of the alert event. */
    public String state() {
        return raised ? "raised" : "cleared";
    }
}
