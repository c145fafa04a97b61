package io.msf.monitor.internal.alert;

/**
 * An alert raised or cleared in a sampling round.
 *
 * @param raised true when raised, false when cleared
 * @param alert the alert, with the figure that raised or cleared it (for one whose subject is gone, the
 *        figure last read, which may still be over the threshold)
 * @param subjectGone cleared because its subject has been missing from {@link AlertBook#ABSENT_ROUNDS}
 *        samples in a row, not by a figure
 * @param figureUnknown cleared because its figure has been unknown for the time allowed, not by a figure
 *        back under (the alert's figure is the last one known)
 */
public record AlertChange(boolean raised, Alert alert, boolean subjectGone, boolean figureUnknown) {

    /** Raised, or cleared by a figure. */
    public AlertChange(boolean raised, Alert alert) {
        this(raised, alert, false, false);
    }

    /** Raised, cleared by a figure, or cleared as its subject is gone. */
    public AlertChange(boolean raised, Alert alert, boolean subjectGone) {
        this(raised, alert, subjectGone, false);
    }

    /** {@code raised} or {@code cleared}: the {@code state} property of the alert event. */
    public String state() {
        return raised ? "raised" : "cleared";
    }
}
