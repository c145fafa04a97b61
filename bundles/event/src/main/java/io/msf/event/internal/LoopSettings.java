package io.msf.event.internal;

import io.msf.event.api.Transport;
import io.msf.settings.ConfigValues;

/**
 * The settings the event-loop groups run with, checked: {@link #of} refuses a value naming its key,
 * so that the groups can keep the settings they had ({@link LoopSettingsInForce}).
 *
 * <p>The executors' bound is one of them, though no group uses it: checked with the rest, a change with one
 * bad value is refused whole, and {@link BundleExecutors} reads the bound in force, whenever it is asked.
 *
 * @param quietCapped whether the configured quiet period was longer than the timeout, which Netty
 *     refuses: the timeout is used instead
 */
record LoopSettings(Transport transport, int ioThreads, int workerThreads, long quietMillis, long timeoutMillis,
        boolean quietCapped, int maxPendingPerBundle, int maxExecutorsPerBundle) {

    static final long DEFAULT_QUIET_MILLIS = 100;
    static final long DEFAULT_TIMEOUT_MILLIS = 5000;
    static final int DEFAULT_MAX_PENDING_PER_BUNDLE = 100_000;
    static final int MAX_MAX_PENDING_PER_BUNDLE = 10_000_000;
    /** The bounds of {@link EventLoopConfiguration}, checked again for a value set past the config gate. */
    static final int MAX_THREADS = 1024;
    static final long MAX_QUIET_MILLIS = 60_000;
    static final long MAX_TIMEOUT_MILLIS = 300_000;

    /**
     * @throws IllegalArgumentException naming the key and the value at fault
     * @throws IllegalStateException if the transport asked for is not available here
     */
    static LoopSettings of(EventLoopConfiguration configured, int cores) {
        EventLoopConfiguration config = ConfigValues.naming(EventLoopConfiguration.class, configured);
        Transport transport = TransportChoice.select(config.transport());
        long timeout = millis("shutdownTimeoutMillis", config.shutdownTimeoutMillis(), MAX_TIMEOUT_MILLIS);
        long quiet = millis("shutdownQuietMillis", config.shutdownQuietMillis(), MAX_QUIET_MILLIS);
        return new LoopSettings(transport, threads("ioThreads", config.ioThreads(), defaultIoThreads(cores)),
                threads("workerThreads", config.workerThreads(), cores), Math.min(quiet, timeout), timeout,
                quiet > timeout, maxPending(config.maxPendingTasksPerBundle()),
                maxExecutors(config.maxExecutorsPerBundle()));
    }

    /** What the groups start with when the configuration at start is refused. */
    static LoopSettings defaults(int cores) {
        return new LoopSettings(TransportChoice.select("auto"), defaultIoThreads(cores), cores, DEFAULT_QUIET_MILLIS,
                DEFAULT_TIMEOUT_MILLIS, false, DEFAULT_MAX_PENDING_PER_BUNDLE,
                BundleExecutors.DEFAULT_MAX_EXECUTORS_PER_BUNDLE);
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

    private static int maxPending(int configured) {
        if (configured < 1 || configured > MAX_MAX_PENDING_PER_BUNDLE) {
            throw new IllegalArgumentException("maxPendingTasksPerBundle: " + configured
                    + " is not in 1.." + MAX_MAX_PENDING_PER_BUNDLE);
        }
        return configured;
    }

    private static int maxExecutors(int configured) {
        if (configured < 1 || configured > BundleExecutors.MAX_MAX_EXECUTORS_PER_BUNDLE) {
            throw new IllegalArgumentException("maxExecutorsPerBundle: " + configured
                    + " is not in 1.." + BundleExecutors.MAX_MAX_EXECUTORS_PER_BUNDLE);
        }
        return configured;
    }

    private static int threads(String key, long configured, int byDefault) {
        if (configured < 0) {
            throw new IllegalArgumentException(key + ": " + configured + " is negative;"
                    + " use 0 for the default (" + byDefault + " here)");
        }
        // Netty makes every loop of a group at once, each with its selector: past the gate, a value of a
        // million would use up the file descriptors and fail the groups instead of being refused.
        if (configured > MAX_THREADS) {
            throw new IllegalArgumentException(key + ": " + configured + " is more than "
                    + MAX_THREADS);
        }
        return configured == 0 ? byDefault : (int) configured;
    }

    private static long millis(String key, long value, long max) {
        if (value < 0) {
            throw new IllegalArgumentException(key + ": " + value + " is negative");
        }
        if (value > max) {
            throw new IllegalArgumentException(key + ": " + value + " is more than "
                    + max);
        }
        return value;
    }

    @Override
    public String toString() {
        return transport + " transport, " + ioThreads + " I/O threads, " + workerThreads + " worker threads, at most "
                + maxPendingPerBundle + " pending tasks per bundle, at most " + maxExecutorsPerBundle
                + " executors per bundle";
    }
}
