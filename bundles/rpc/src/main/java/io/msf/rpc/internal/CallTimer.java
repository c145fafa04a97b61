package io.msf.rpc.internal;

import io.msf.concurrent.DetachedThreads;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ends the calls an {@link InterfaceHandler} guards (asynchronous ones, and synchronous ones on its
 * executor) once their time is up: one daemon thread
 * ({@value #THREAD}) for every handler of the JVM, started by the first call that needs it and ended
 * after a second without calls waiting.
 *
 * <p>Not {@link java.util.concurrent.CompletableFuture#orTimeout}: on Java 17 its timer thread lives
 * as long as the JVM and keeps what the thread that happened to start it had, its context class
 * loader and the protection domains of the classes on its stack, each holding its class loader. In
 * the container that is a bundle's (an in-container caller's thread, or a bundle that set it), which
 * then stays in memory after the bundle is updated or uninstalled. This thread has no context class
 * loader, is made in a privileged block, which keeps only this bundle's own domain, and takes none of
 * the inheritable thread locals of the thread that happened to start it ({@link DetachedThreads}).
 */
final class CallTimer {

    static final String THREAD = "msf-rpc-timeouts";

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private CallTimer() {
    }

    /** Runs {@code task} in {@code millis} unless cancelled first (a cancelled task leaves the queue at once). */
    static ScheduledFuture<?> schedule(Runnable task, long millis) {
        return TIMER.schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    /** How many calls' timeouts wait: for tests. */
    static int waiting() {
        return TIMER.getQueue().size();
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, DetachedThreads.named(THREAD));
        timer.setKeepAliveTime(1, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true); // the thread stays while a task waits, idle or not
        timer.setRemoveOnCancelPolicy(true); // a call answered in time does not hold its task until its limit
        return timer;
    }
}
