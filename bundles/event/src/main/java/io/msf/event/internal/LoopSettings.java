package io.msf.event.internal;

import io.msf.event.api.Transport;

/**
 * The settings the event-loop groups run with, checked: {@link #of} refuses a value naming its key,
 * so that the groups can keep the settings they had ({@link LoopSettingsInForce}).
 *
 * @param quietCapped whether the configured quiet period was longer than the timeout, which Netty
 *     refuses: the timeout is used instead
 */
record LoopSettings(Transport transport, int ioThreads, int workerThreads, long quietMillis, long timeoutMillis,
        boolean quietCapped) {

    static final long DEFAULT_QUIET_MILLIS = 100;
    static final long DEFAULT_TIMEOUT_MILLIS = 5000;

    /**
     * @throws IllegalArgumentException naming the key and the value at fault
     * @throws IllegalStateException if the transport asked for is not available here
     */
    static LoopSettings of(EventLoopConfiguration config, int cores) {
        Transport transport = TransportChoice.select(config.transport());
        long timeout = nonNegative("shutdownTimeoutMillis", config.shutdownTimeoutMillis());
        long quiet = nonNegative("shutdownQuietMillis", config.shutdownQuietMillis());
        return new LoopSettings(transport, threads("ioThreads", config.ioThreads(), defaultIoThreads(cores)),
                threads("workerThreads", config.workerThreads(), cores), Math.min(quiet, timeout), timeout,
                quiet > timeout);
    }

    /** What the groups start with when the configuration at start is refused. */
    static LoopSettings defaults(int cores) {
        return new LoopSettings(TransportChoice.select("auto"), defaultIoThreads(cores), cores, DEFAULT_QUIET_MILLIS,
                DEFAULT_TIMEOUT_MILLIS, false);
    }

    /**
     * The 'io' group's size when configured as 0: half the cores, at least one. The I/O threads
     * share the machine with the services whose traffic they carry (over local sockets, the peers
     * at the other end run on the same cores), and every thread more splits connections that talk
     * to each other across threads: each message that crosses costs a task hand-off and often a
     * wake-up of the other thread. On 2 cores one I/O thread instead of two cut the agent's CPU per
     * routed request by about a third (bench/RESULTS.md, 2026-11-29 17:30).
     */
    static int defaultIoThreads(int cores) {
        return Math.max(1, cores / 2);
    }

    private static int threads(String key, int configured, int byDefault) {
        if (configured < 0) {
            throw new IllegalArgumentException(EventLoopGroups.PID + " " + key + ": " + configured + " is negative;"
                    + " use 0 for the default (" + byDefault + " here)");
        }
        return configured == 0 ? byDefault : configured;
    }

    private static long nonNegative(String key, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(EventLoopGroups.PID + " " + key + ": " + value + " is negative");
        }
        return value;
    }

    @Override
    public String toString() {
        return transport + " transport, " + ioThreads + " I/O threads, " + workerThreads + " worker threads";
    }
}
