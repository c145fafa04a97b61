package io.msf.launcher;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntConsumer;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

/**
 * Connects stop requests (SIGTERM, SIGINT, the shutdown hook) with the framework. The signal
 * handlers are installed first thing, so a request can arrive before the framework exists; it is
 * then remembered and the launcher ends without starting anything.
 */
final class StopControl {

    private final PrintStream err;
    private final IntConsumer halt;
    private Framework framework;
    private Duration timeout;
    private boolean requested;
    private boolean starting;
    private volatile Path forcedStopFile;

    StopControl(PrintStream err) {
        this(err, status -> Runtime.getRuntime().halt(status));
    }

    /** @param halt ends the process with the given status when a stop takes too long (tests: records it) */
    StopControl(PrintStream err, IntConsumer halt) {
        this.err = err;
        this.halt = halt;
    }

    /**
     * Where a stop that took too long is recorded ({@code <data>/msf.stop.forced}, holding this
     * process's pid) before the process ends: whoever asked for the stop (bin/msf stop) cannot see
     * the exit code of a process it did not start, and would report a clean stop.
     */
    void recordForcedStopIn(Path file) {
        forcedStopFile = file;
    }

    /**
     * Starts {@code framework} unless a stop was requested already, and from then on stops it on
     * request. A request that arrives while the framework starts is carried out once the start
     * has returned, never before, so the start cannot undo it; the stop timeout counts from the
     * request all the same (a bundle that hangs in its start does not keep the process alive).
     *
     * @return false if a stop was requested: the framework was not started
     */
    boolean start(Framework framework, Duration timeout) throws BundleException {
        synchronized (this) {
            if (requested) {
                return false;
            }
            this.timeout = timeout;
            starting = true;
        }
        boolean started = false;
        try {
            framework.start();
            started = true;
        } finally {
            synchronized (this) {
                if (started) {
                    this.framework = framework;
                }
                starting = false;
                notifyAll();
            }
        }
        return true;
    }

    /**
     * Stops {@code framework}, initialised but not started ({@link #start} refused it: a stop came
     * first), and waits for it at most {@code timeout}, as {@link #requestStop} waits for a started
     * one: until it has stopped, it holds its cache, which the launcher's pid file guards for it, so
     * the launcher must not let go of the data folder before. A stop that takes longer ends the
     * process as a stop request's does.
     */
    void stopUnstarted(Framework framework, Duration timeout) throws BundleException, InterruptedException {
        framework.stop();
        if (framework.waitForStop(Math.max(1, timeout.toMillis())).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
            tooLong(timeout);
        }
    }

    /** Whether a stop was asked for (a signal, the parent's end, System.exit), not made from inside the framework. */
    synchronized boolean requested() {
        return requested;
    }

    /** Stops the framework (bundles in reverse start-level order) and waits for it, bounded. */
    void requestStop() {
        Framework target;
        Duration limit;
        long deadline;
        synchronized (this) {
            requested = true;
            limit = timeout;
            if (limit == null) {
                return; // before the start: start() refuses to start
            }
            deadline = System.nanoTime() + limit.toNanos();
            try {
                while (starting) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        tooLong(limit);
                        return;
                    }
                    wait(Math.max(1, remaining / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            target = framework;
        }
        if (target == null) {
            return; // the start failed: the launcher ends on its own
        }
        try {
            target.stop();
            long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (target.waitForStop(remainingMillis).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                tooLong(limit);
            }
        } catch (BundleException e) {
            err.println("msf: stopping the framework failed: " + StartupProblems.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A bundle hangs in its start or stop: the process must still end, and say it did not end cleanly. */
    private void tooLong(Duration limit) {
        err.println("msf: the framework did not stop within " + limit.toSeconds() + " s; exiting anyway");
        Path file = forcedStopFile;
        if (file != null) {
            // java.io: no NIO classes to load in a JVM that is hanging already
            try (FileOutputStream out = new FileOutputStream(file.toFile())) {
                out.write((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                err.println("msf: cannot record the forced stop in " + file + ": " + e.getMessage());
            }
        }
        halt.accept(1);
    }
}
