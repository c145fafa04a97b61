package io.msf.supervisor.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.osgi.service.log.Logger;

/**
 * What every {@link ManagedProcess} shares.
 *
 * @param spawner   starts runs
 * @param scheduler times the backoff restarts and the kills after a stop timeout; it spawns nothing
 * @param spawning  spawns the first run of a process added, the runs the scheduler's restarts (and the end
 *                  of what a run left, or of the old run under a new configuration) start, the warm spares the readiness polls decide on, and the
 *                  take-overs of a name a removed process freed, a thread each while it lasts: a spawn may be slow (a child container's folders copied,
 *                  its JDK's release file read from a slow disk), and on the scheduler's one thread it
 *                  held up every other process's restarts and kills. A process's spawns still come one
 *                  at a time and in order: each runs under the process's lock, and a restart made
 *                  before the last cancel is dropped
 * @param clock     monotonic milliseconds
 * @param alert     told about crash loops
 * @param log       the supervisor's logger
 */
record ProcessEnvironment(ChildSpawner spawner, ScheduledExecutorService scheduler, Executor spawning, LongSupplier clock,
        CrashLoopAlert alert, Logger log) {

    /** Milliseconds from {@link System#nanoTime()}: immune to wall-clock changes. */
    static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }
}
