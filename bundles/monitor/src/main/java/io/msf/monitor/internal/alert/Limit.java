package io.msf.monitor.internal.alert;

/**
 * A threshold with hysteresis: an alert is raised when the figure goes above {@code raiseAbove} and
 * cleared only once it is below {@code clearBelow}, so a figure hovering at the threshold does not
 * raise and clear an alert at every sample.
 *
 * @param raiseAbove the threshold; 0 or less means the alert is off
 * @param clearBelow threshold x clear ratio
 */
public record Limit(double raiseAbove, double clearBelow) {

    /** No alert. */
    public static final Limit OFF = new Limit(0, 0);

    /**
     * @param threshold the configured threshold, 0 or less for none
     * @param clearRatio in (0, 1]
     */
    public static Limit of(double threshold, double clearRatio) {
        if (!(clearRatio > 0 && clearRatio <= 1)) {
            throw new IllegalArgumentException("clearRatio must be in (0, 1], not " + clearRatio);
        }
        return threshold > 0 ? new Limit(threshold, threshold * clearRatio) : OFF;
    }

    public boolean isOff() {
        return raiseAbove <= 0;
    }

    boolean raises(double value) {
        return !isOff() && value > raiseAbove;
    }

    boolean clears(double value) {
        return isOff() || value < clearBelow;
    }
}
