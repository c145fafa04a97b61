package io.msf.deploy.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * One {@link Bundle#start()}, run on a thread of its own so that the deployer's single thread waits
 * for it only so long. An activator that never returns would otherwise stop every later install,
 * swap and undeploy: Felix holds the bundle's lock for as long as the activator runs, and a stop or
 * uninstall of that bundle waits for the lock without a limit (Felix 7 has no lock timeout). So a
 * start that has not ended is not undone here: {@link #whenEnded} says what to do once it has.
 */
final class BundleStart {

    /** How many frames of the stuck thread are shown, from the first that is not the JDK's. */
    private static final int FRAMES = 3;

    private final Bundle bundle;
    private final Thread thread;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private BundleStart(Bundle bundle) {
        this.bundle = bundle;
        this.thread = new Thread(this::run, "msf-deploy start " + Versions.describe(bundle));
        thread.setDaemon(true); // one stuck for good must not keep the JVM up
    }

    /** Starts the bundle on a new thread. */
    static BundleStart begin(Bundle bundle) {
        BundleStart start = new BundleStart(bundle);
        start.thread.start();
        return start;
    }

    private void run() {
        try {
            bundle.start();
            ended.complete(null);
        } catch (Throwable e) {
            ended.completeExceptionally(e);
        }
    }

    /**
     * Waits until the start has ended, at most {@code limit}; throws why it failed, or that it did not
     * end in time, naming where the start is at (the activator's frames).
     */
    void await(Duration limit, String limitKey) throws DeployException, InterruptedException {
        try {
            ended.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new DeployException(Versions.describe(bundle) + " did not start within " + limit.toMillis() + " ms ("
                    + limitKey + "); its start is at " + where() + "; it is removed once its start returns");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BundleException || cause instanceof IllegalStateException) {
                throw new DeployException(Versions.describe(bundle) + " does not start: " + Versions.reason(cause), cause);
            }
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new DeployException(Versions.describe(bundle) + " does not start: " + Versions.reason(cause), cause);
        }
    }

    boolean ended() {
        return ended.isDone();
    }

    /** Runs {@code then} once the start has ended, on the start's thread (now, if it has ended). */
    void whenEnded(Runnable then) {
        ended.whenComplete((ignored, failure) -> then.run());
    }

    /** The stuck thread's top frames below the JDK's own (a sleep, a lock's park), innermost first. */
    String where() {
        StackTraceElement[] stack = thread.getStackTrace();
        String frames = Arrays.stream(stack)
                .dropWhile(frame -> isJdk(frame.getClassName()))
                .limit(FRAMES)
                .map(BundleStart::frame)
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
