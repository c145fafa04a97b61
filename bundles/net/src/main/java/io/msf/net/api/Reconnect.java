package io.msf.net.api;

/**
 * How a client endpoint keeps connecting: while its server is not there, and again whenever its
 * connection is lost. It waits {@code minMillis} after the first failure, twice as long after each
 * next one, up to {@code maxMillis}, less a random part of at most half, so that the many clients
 * of a server that went away do not all come back at the same moment. A connection lost within a
 * second of being made counts as a failed attempt.
 *
 * @param minMillis the wait after the first failed attempt or a lost connection; at least 1
 * @param maxMillis the longest wait between two attempts; at least {@code minMillis}
 */
public record Reconnect(long minMillis, long maxMillis) {

    /** The waits of a configured client by default: 100 ms, growing to 30 s. */
    public static final Reconnect DEFAULT = new Reconnect(100, 30_000);

    public Reconnect {
        if (minMillis < 1) {
            throw new IllegalArgumentException("reconnect: minMillis " + minMillis + " is less than 1");
        }
        if (maxMillis < minMillis) {
            throw new IllegalArgumentException("reconnect: maxMillis " + maxMillis + " is less than minMillis ("
                    + minMillis + ")");
        }
    }
}
