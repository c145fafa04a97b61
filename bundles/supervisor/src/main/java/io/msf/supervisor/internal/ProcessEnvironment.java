package io.msf.supervisor.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.osgi.service.log.Logger;

/**
 * What every {@link ManagedProcess} shares.
 *
 * @param spawner   starts runs
 * @param scheduler runs the backoff restarts and the kills after a stop timeout
 * @param clock     monotonic milliseconds
 * @param alert     told about crash loops
 * @param log       the supervisor's logger
 */
record ProcessEnvironment(ChildSpawner spawner, ScheduledExecutorService scheduler, LongSupplier clock,
        CrashLoopAlert alert, Logger log) {

    /** Milliseconds from {@link System#nanoTime()}: immune to wall-clock changes. */
    static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }
}
