package io.msf.client.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: doubled after each failed attempt from the initial delay up to the maximum
 * (a connection dropped soon after its registration counts as failed: see Connector#ended),
 * each drawn at random from its upper half ("equal jitter"), so that the clients of an agent that
 * restarts do not all knock at the same instant, yet none retries sooner than half the nominal delay.
 * Not thread-safe: the connection's event loop owns it.
 */
final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;
    private long nominalNanos;

    /** @param random numbers in [0, 1) */
    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
        this.nominalNanos = initialNanos;
    }

    /** The delay before the next attempt, in nanoseconds. */
    long nextNanos() {
        long nominal = nominalNanos;
        nominalNanos = nominal > maxNanos / 2 ? maxNanos : nominal * 2;
        long half = nominal / 2;
        return nominal - half + (long) (random.getAsDouble() * half);
    }

    /** Starts again from the initial delay: the last connection lasted. */
    void reset() {
        nominalNanos = initialNanos;
    }
}
