package io.msf.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Says once whether the container came up: {@code msf ready in N ms (K bundles)} on stdout when
 * the framework reached its beginning start level and every ready service is registered, or
 * {@code msf: NOT READY ...} on stderr with what is missing when the bounded wait ends first.
 * Either way the launcher's bundles that should be active but are not are listed with the reason,
 * and so are the problems running bundles publish ({@link PublishedProblems}: a listener of the agent
 * that could not be opened), which a ready line alone would hide.
 *
 * <p>K is the number of the assembly's own bundles, those the launcher installed from
 * {@code bundle/<level>/} (fragments included) and still installed: not every bundle in the
 * framework, since the deployer installs the services of {@code etc/msf.service~*.cfg} and
 * {@code deploy/} at level 5 while the core services the ready line waits for come up, and a count
 * of all of them said one number or another from run to run depending on which came first.
 *
 * <p>It runs on its own daemon thread so that a stop arriving during startup is never held up
 * by the wait. N counts from the JVM's start ({@link JvmStartTime}), so it includes everything a
 * user waits for; a warm spare's N counts from its promotion, when the user's wait began.
 */
final class ReadinessReport implements FrameworkListener, Runnable {

    private final BundleContext context;
    /** Read once: the report runs from before the framework's start, and a stop first invalidates the context. */
    private final Bundle systemBundle;
    private final List<Bundle> launched;
    private final ServiceReadiness readiness;
    private final StartupProblems problems;
    private final Duration timeout;
    private final JvmStartTime jvmStart;
    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch started = new CountDownLatch(1);
    /** N of the ready line, or -1 until it was printed; read by {@link StatusFile} in child mode. */
    private volatile long readyMillis = -1;

    /** @param launched the bundles the launcher installed from the start-level plan */
    ReadinessReport(BundleContext context, List<Bundle> launched, ServiceReadiness readiness, StartupProblems problems,
            Duration timeout, JvmStartTime jvmStart, PrintStream out, PrintStream err) {
        this.context = context;
        this.systemBundle = context.getBundle(0);
        this.launched = List.copyOf(launched);
        this.readiness = readiness;
        this.problems = problems;
        this.timeout = timeout;
        this.jvmStart = jvmStart;
        this.out = out;
        this.err = err;
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        // STARTED ends the framework's start; STARTLEVEL_CHANGED of a running framework ends a warm
        // spare's promotion (WarmSpare), which raises the level of a framework started long before
        if (event.getType() == FrameworkEvent.STARTED || (event.getType() == FrameworkEvent.STARTLEVEL_CHANGED
                && systemBundle.getState() == Bundle.ACTIVE)) {
            started.countDown();
        }
    }

    /**
     * Waits until the framework has started (its climb to the beginning level is over), however long that
     * takes: what comes after the report and needs an ACTIVE framework (the console) waits here when the
     * report was NOT READY because a bundle's start hangs. False if interrupted.
     */
    boolean awaitStarted() {
        try {
            started.await();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Milliseconds from JVM start to the ready line, or -1 while not (or never) ready. */
    long readyMillis() {
        return readyMillis;
    }

    @Override
    public void run() {
        try (readiness) {
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean levelReached = started.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            List<String> missing = readiness.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            // STARTING: the framework still climbs (a bundle hangs in its start), which is just what
            // NOT READY must report; anything but STARTING or ACTIVE: stopping already, nothing to report
            if ((systemBundle.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
                return;
            }
            report(levelReached, missing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void report(boolean levelReached, List<String> missing) {
        int startLevel = systemBundle.adapt(FrameworkStartLevel.class).getStartLevel();
        if (levelReached && missing.isEmpty()) {
            long millis = jvmStart.millisSinceStart();
            out.println("msf ready in " + millis + " ms (" + launchedInstalled() + " bundles)");
            out.flush();
            readyMillis = millis;
        } else {
            err.println("msf: NOT READY after " + timeout.toSeconds() + " s"
                    + (levelReached ? "" : "; " + levelNotReached(startLevel))
                    + (missing.isEmpty() ? "" : "; no service registered for: " + String.join(", ", missing))
                    + ". The container keeps running.");
        }
        List<String> inactive = problems.inactiveBundles(launched, startLevel);
        if (!inactive.isEmpty()) {
            err.println("msf: " + inactive.size() + " bundle(s) not active:");
            inactive.forEach(this::listed);
        }
        List<String> published = PublishedProblems.of(context);
        if (!published.isEmpty()) {
            err.println("msf: " + published.size() + " problem(s) of running bundles:");
            published.forEach(this::listed);
        }
    }

    /**
     * One item of the report, each of its lines marked {@code msf: }: a reason of several lines (an
     * activator's exception, a published problem) went on unmarked after its first, where bin/msf start,
     * which shows the report's {@code msf: } lines, and whoever greps the console log lost the rest.
     */
    private void listed(String item) {
        String[] lines = item.split("\\R");
        err.println("msf:   " + lines[0]);
        for (int i = 1; i < lines.length; i++) {
            err.println("msf:     " + lines[i]);
        }
    }

    /**
     * The level the climb is to reach, and the one it is at when they differ: while a bundle's start hangs,
     * the framework's start level is that bundle's, which alone read as the level the container should have.
     */
    private String levelNotReached(int startLevel) {
        String promoted = context.getProperty(WarmSpare.PROMOTED_LEVEL); // a spare climbs to it, not to its beginning
        String target = promoted != null ? promoted : context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        target = target == null ? "1" : target.trim();
        return "start level " + target + " not reached"
                + (target.equals(Integer.toString(startLevel)) ? "" : " (level " + startLevel + " still starting)");
    }

    /** One uninstalled by hand (msf exec) before the line is no longer counted. */
    private long launchedInstalled() {
        return launched.stream().filter(bundle -> bundle.getState() != Bundle.UNINSTALLED).count();
    }
}
