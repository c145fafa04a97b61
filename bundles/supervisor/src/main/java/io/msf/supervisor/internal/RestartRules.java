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

    RestartRules {
        if (initialMillis < 0) {
            throw new IllegalArgumentException("backoffInitialMillis: " + initialMillis + " is negative");
        }
        if (maxMillis < initialMillis) {
            throw new IllegalArgumentException("keys 'backoffInitialMillis' (" + initialMillis + ") and 'backoffMaxMillis' ("
                    + maxMillis + "): need 0 <= backoffInitialMillis <= backoffMaxMillis");
        }
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts: " + maxRestarts + " is negative");
        }
        if (windowMillis < 1) {
            throw new IllegalArgumentException("windowMillis: " + windowMillis + " must be at least 1");
        }
    }
}
