package io.msf.monitor.internal.probe;

/** The arithmetic of turning two samples into a rate or a share of time. */
public final class Rates {

    private Rates() {
    }

    /** {@code part} as a percentage of {@code whole} (both durations, same unit); 0 when whole is not positive. */
    public static double percent(double part, double whole) {
        return whole > 0 && part > 0 ? part * 100.0 / whole : 0;
    }

    /** Events per second for {@code count} events over {@code nanos}; 0 when nanos is not positive. */
    public static double perSecond(long count, long nanos) {
        return nanos > 0 && count > 0 ? count * 1e9 / nanos : 0;
    }

    /**
     * The increase of a counter, 0 on the first reading (unknown before) and when it went backwards
     * (it was reset: a peer or thread replaced by another with the same key).
     */
    public static long increase(long previous, long current) {
        return previous < 0 || current < previous ? 0 : current - previous;
    }
}
