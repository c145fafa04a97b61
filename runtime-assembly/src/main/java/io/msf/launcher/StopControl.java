package io.msf.launcher;

import java.io.PrintStream;
import java.time.Duration;
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
    private Framework framework;
    private Duration timeout;
    private boolean requested;

    StopControl(PrintStream err) {
        this.err = err;
    }

    /**
     * Starts {@code framework} unless a stop was requested already, and from then on stops it on
     * request. Starting under the same lock as the request is what keeps a stop that arrives
     * while bundles are being installed from being undone by the start that follows.
     *
     * @return false if a stop was requested: the framework was not started
     */
    synchronized boolean start(Framework framework, Duration timeout) throws BundleException {
        if (requested) {
            return false;
        }
        framework.start();
        this.framework = framework;
        this.timeout = timeout;
        return true;
    }

    /** Stops the framework (bundles in reverse start-level order) and waits for it, bounded. */
    void requestStop() {
        Framework target;
        Duration limit;
        synchronized (this) {
            requested = true;
            target = framework;
            limit = timeout;
        }
        if (target == null) {
            return;
        }
        try {
            target.stop();
            if (target.waitForStop(limit.toMillis()).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                // a bundle hangs in its stop: the process must still end, and say it did not end cleanly
                err.println("msf: the framework did not stop within " + limit.toSeconds() + " s; exiting anyway");
                Runtime.getRuntime().halt(1);
            }
        } catch (BundleException e) {
            err.println("msf: stopping the framework failed: " + StartupProblems.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
