package io.msf.deploy.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * One {@link Bundle#start()} or {@link Bundle#uninstall()}, run on a thread of its own so that the
 * deployer's single thread waits for it only so long. An activator's start or stop that never
 * returns would otherwise stop every later install, swap and undeploy: Felix holds the bundle's lock
 * for as long as the activator runs, and a stop or uninstall of that bundle waits for the lock
 * without a limit (Felix 7 has no lock timeout). So a call that has not ended is not undone here:
 * {@link #whenEnded} says what to do once it has.
 */
final class BundleCall {

    /** How many frames of the stuck thread are shown, from the first that is not the JDK's. */
    private static final int FRAMES = 3;
    /** Calls made so far, numbering their threads. */
    private static final AtomicLong CALLS = new AtomicLong();

    /** What is done to the bundle. */
    @FunctionalInterface
    private interface Action {

        void apply(Bundle bundle) throws BundleException;
    }

    private final Bundle bundle;
    private final String verb;
    private final Action action;
    private final Thread thread;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private BundleCall(Bundle bundle, String verb, Action action) {
        this.bundle = bundle;
        this.verb = verb;
        this.action = action;
        // one name for all, but for a counter: the monitor's CPU per thread group drops the counter
        // (msf_thread_cpu_seconds), where a name with the bundle in it made a new group per call; the
        // bundle is named in what is said of a call that does not end
        this.thread = new Thread(this::run, "msf-deploy-call-" + CALLS.incrementAndGet());
        thread.setDaemon(true); // one stuck for good must not keep the JVM up
    }

    /** Starts the bundle on a new thread. */
    static BundleCall start(Bundle bundle) {
        return new BundleCall(bundle, "start", Bundle::start).begin();
    }

    /** Uninstalls the bundle (which stops it first) on a new thread. */
    static BundleCall uninstall(Bundle bundle) {
        return new BundleCall(bundle, "stop", Bundle::uninstall).begin();
    }

    private BundleCall begin() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            action.apply(bundle);
            ended.complete(null);
        } catch (Throwable e) {
            ended.completeExceptionally(e);
        }
    }

    /**
     * Waits until the call has ended, at most {@code limit}; throws why it failed, or that it did not
     * end in time, naming where it is at (the activator's frames) and, as {@code then}, what is done
     * once it has ("it is removed once its start returns").
     */
    void await(Duration limit, String limitKey, String then) throws DeployException, InterruptedException {
        try {
            ended.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new DeployException(Versions.describe(bundle) + " did not " + verb + " within " + limit.toMillis()
                    + " ms (" + limitKey + "); its " + verb + " is at " + where() + "; " + then);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // an IllegalStateException is the bundle uninstalled meanwhile: the call's failure, as a BundleException
            if (cause instanceof RuntimeException unchecked && !(cause instanceof IllegalStateException)) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new DeployException(Versions.describe(bundle) + " does not " + verb + ": " + Versions.reason(cause),
                    cause);
        }
    }

    boolean ended() {
        return ended.isDone();
    }

    /** Completes once the call has ended, exceptionally if it failed; a copy, which cannot end the call's own. */
    CompletableFuture<Void> end() {
        return ended.copy();
    }

    /** Runs {@code then} once the call has ended, on its thread (now, if it has ended). */
    void whenEnded(Runnable then) {
        ended.whenComplete((ignored, failure) -> then.run());
    }

    /**
     * Whether a start or stop of the bundle, by anyone, has not returned: its activator's start or
     * stop (or its components' activation or deactivation) still runs, and Felix holds the bundle's
     * lock until it does. A bundle waiting for its lazy activation is STARTING too, but holds no lock.
     */
    static boolean notReturned(Bundle bundle) {
        return bundle.getState() == Bundle.STOPPING
                || bundle.getState() == Bundle.STARTING && !awaitingLazyActivation(bundle);
    }

    /** {@link VersionControl#awaitingLazyActivation}. */
    static boolean awaitingLazyActivation(Bundle bundle) {
        BundleStartLevel startLevel = bundle.adapt(BundleStartLevel.class);
        Dictionary<String, String> headers = bundle.getHeaders("");
        String policy = headers == null ? null : headers.get(Constants.BUNDLE_ACTIVATIONPOLICY);
        return bundle.getState() == Bundle.STARTING && startLevel != null && startLevel.isActivationPolicyUsed()
                && policy != null && policy.trim().startsWith(Constants.ACTIVATION_LAZY);
    }

    /** The stuck thread's top frames below the JDK's own (a sleep, a lock's park), innermost first. */
    String where() {
        StackTraceElement[] stack = thread.getStackTrace();
        String frames = Arrays.stream(stack)
                .dropWhile(frame -> isJdk(frame.getClassName()))
                .limit(FRAMES)
                .map(BundleCall::frame)
                .collect(Collectors.joining(" < "));
        return frames.isEmpty() ? "(no frames)" : frames;
    }

    /** Without the class loader and module that {@link StackTraceElement#toString} puts first. */
    private static String frame(StackTraceElement frame) {
        String file = frame.getFileName() == null ? "Unknown Source"
                : frame.getLineNumber() < 0 ? frame.getFileName() : frame.getFileName() + ":" + frame.getLineNumber();
        return frame.getClassName() + "." + frame.getMethodName() + "(" + file + ")";
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.");
    }
}
