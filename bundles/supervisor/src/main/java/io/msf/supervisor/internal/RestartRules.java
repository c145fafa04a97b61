package io.msf.supervisor.internal;

/**
 * The restart settings of one process.
 *
 * @param policy         when to restart
 * @param initialMillis  the backoff before the second restart in a row (the first one is immediate)
 * @param maxMillis      the largest backoff delay; a run at least this long resets the delay
 * @param maxRestarts    restarts allowed within {@code windowMillis}; 0 = no limit
 * @param windowMillis   the sliding window the restarts are counted in
 */
record RestartRules(RestartPolicy policy, long initialMillis, long maxMillis, int maxRestarts, long windowMillis) {

    /** The most either backoff may be (ProcessConfiguration's Metatype max, and checked here again). */
    static final long MOST_BACKOFF_MILLIS = 3_600_000;
    /** The most {@code maxRestarts} may be. */
    static final int MOST_RESTARTS = 1000;
    /** The most {@code windowMillis} may be, a day. */
    static final long MOST_WINDOW_MILLIS = 86_400_000;

    /** Checks Metatype's bounds again: a change made through Config Admin never met them. */
    RestartRules {
        if (initialMillis < 0) {
            throw new IllegalArgumentException("backoffInitialMillis: " + initialMillis + " is negative");
        }
        ProcessSpec.atMost("backoffInitialMillis", initialMillis, MOST_BACKOFF_MILLIS);
        ProcessSpec.atMost("backoffMaxMillis", maxMillis, MOST_BACKOFF_MILLIS);
        if (maxMillis < initialMillis) {
            throw new IllegalArgumentException("keys 'backoffInitialMillis' (" + initialMillis + ") and 'backoffMaxMillis' ("
                    + maxMillis + "): need 0 <= backoffInitialMillis <= backoffMaxMillis");
        }
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts: " + maxRestarts + " is negative");
        }
        ProcessSpec.atMost("maxRestarts", maxRestarts, MOST_RESTARTS);
        if (windowMillis < 1) {
            throw new IllegalArgumentException("windowMillis: " + windowMillis + " must be at least 1");
        }
        ProcessSpec.atMost("windowMillis", windowMillis, MOST_WINDOW_MILLIS);
    }
}
