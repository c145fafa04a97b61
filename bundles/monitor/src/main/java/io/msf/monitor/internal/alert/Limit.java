package io.msf.monitor.internal.alert;

/**
 * A threshold with hysteresis: an alert is raised when the figure is at or above {@code raiseAt} and
 * cleared only once it is below {@code clearBelow}, so a figure hovering at the threshold does not
 * raise and clear an alert at every sample. At, not only above: a percentage threshold may be set to
 * 100 (the metatype allows it), and a share of the heap, of the file limit or of the cores never goes
 * above 100, so a figure had to pass the threshold, an alert at 100 would never be raised.
 *
 * @param raiseAt the threshold; 0 or less means the alert is off
 * @param clearBelow threshold x clear ratio
 */
public record Limit(double raiseAt, double clearBelow) {

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
        return raiseAt <= 0;
    }

    boolean raises(double value) {
        return !isOff() && value >= raiseAt;
    }

    boolean clears(double value) {
        return isOff() || value < clearBelow;
    }
}
