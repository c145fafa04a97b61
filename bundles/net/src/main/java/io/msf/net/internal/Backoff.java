package io.msf.net.internal;

import io.msf.net.api.Reconnect;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a client waits before its next connection attempt: the shortest wait doubled with every
 * failed attempt up to the longest, then a random part of it taken off (at most half) so that many
 * clients of one server that went away do not all come back at the same moment.
 *
 * @param minMillis the wait after the first failure, at least 1
 * @param maxMillis the longest wait, at least {@code minMillis}
 */
record Backoff(long minMillis, long maxMillis) {

    Backoff {
        if (minMillis < 1) {
            throw new IllegalArgumentException("reconnectMinMillis: " + minMillis + " is less than 1");
        }
        if (maxMillis < minMillis) {
            throw new IllegalArgumentException("reconnectMaxMillis: " + maxMillis + " is less than reconnectMinMillis ("
                    + minMillis + ")");
        }
    }

    /** The waits an endpoint's spec asks for. */
    static Backoff of(Reconnect reconnect) {
        return new Backoff(reconnect.minMillis(), reconnect.maxMillis());
    }

    /** The wait before the attempt that follows {@code failures} failed ones in a row (1 or more). */
    long delayMillis(int failures) {
        long ceiling = ceilingMillis(failures);
        return ceiling - ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    /** The wait without jitter: minMillis * 2^(failures - 1), at most maxMillis. */
    long ceilingMillis(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 62));
        long ceiling = minMillis << doublings;
        // Shifting overflows (or wraps negative) long before 62 doublings of a large minimum.
        return ceiling <= 0 || ceiling >>> doublings != minMillis ? maxMillis : Math.min(ceiling, maxMillis);
    }
}
