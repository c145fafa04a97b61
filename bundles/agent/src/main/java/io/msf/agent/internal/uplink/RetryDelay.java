package io.msf.agent.internal.uplink;

import java.time.Duration;

/**
 * The delays between attempts to join the parent or to claim a name there: doubled after each
 * failure from the first delay up to the longest, and started over after a success. Owned by the
 * uplink's control thread.
 */
final class RetryDelay {

    static final Duration FIRST = Duration.ofMillis(200);
    static final Duration LONGEST = Duration.ofSeconds(10);

    private long nextNanos = FIRST.toNanos();
    private int failures;

    /** The delay before the next attempt after a failure. */
    long failed() {
        long delay = nextNanos;
        nextNanos = Math.min(LONGEST.toNanos(), nextNanos * 2);
        failures++;
        return delay;
    }

    /** Attempts that failed in a row. */
    int failures() {
        return failures;
    }

    void succeeded() {
        nextNanos = FIRST.toNanos();
        failures = 0;
    }
}
