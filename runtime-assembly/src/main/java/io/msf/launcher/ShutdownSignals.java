package io.msf.launcher;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM and SIGINT into a graceful framework stop.
 *
 * <p>The JVM's default handler for these signals exits with 128+signal (143 for SIGTERM) and only
 * runs shutdown hooks, racing the framework's own threads. Handling the signals directly lets
 * the launcher stop the framework (bundles stop in reverse start-level order), wait for it and
 * exit 0, which is what {@code bin/msf stop} and service managers expect from a clean stop.
 * {@code sun.misc.Signal} (module jdk.unsupported) is the only JDK API for this; where it is not
 * available the shutdown hook (always installed) still stops the framework, with the JVM's exit
 * code.
 *
 * <p>Any other way the JVM shuts down (a bundle's {@code System.exit}, SIGHUP) runs the shutdown
 * hook, which stops the framework the same way and says why: who called {@code System.exit}, and from
 * where ({@link ExitCaller}).
 *
 * <p>Interactive console note: the JLine terminal of {@code msf run} installs its own SIGINT
 * handler so Ctrl-C interrupts the current command line instead of the container.
 */
final class ShutdownSignals {

    /** How long the hook waits for the launcher's clean-up once the framework has stopped. */
    static final int CLEAN_UP_SECONDS = 5;

    private ShutdownSignals() {
    }

    /**
     * Arranges for {@code stop} to run once, on a dedicated thread, when the process is asked to stop.
     *
     * @param stop   stops the framework and waits for it (bounded)
     * @param launcherEnded counted down once the launcher has cleaned up after the framework (its pid file
     *     released): the JVM ends as soon as the hook returns, so the hook waits for it, at most
     *     {@value #CLEAN_UP_SECONDS} s, or a System.exit of a bundle's would leave the pid file behind
     * @param report where to say that a signal arrived
     */
    static void install(Runnable stop, CountDownLatch launcherEnded, PrintStream report) {
        Once once = new Once(stop);
        // always: covers SIGHUP, System.exit from a bundle, and VMs where the handlers below fail
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            once.run(() -> ExitCaller.why(Thread.getAllStackTraces())
                    .ifPresent(why -> report.println("msf: the JVM is shutting down, stopping: " + why)));
            try {
                launcherEnded.await(CLEAN_UP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "msf-stop-hook"));
        try {
            for (String name : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    report.println("msf: SIG" + signal.getName() + " received, stopping");
                    new Thread(once, "msf-stop").start();
                });
            }
        } catch (LinkageError | IllegalArgumentException e) {
            report.println("msf: cannot handle SIGTERM/SIGINT (" + e + "); stopping from a shutdown hook instead");
        }
    }
}
