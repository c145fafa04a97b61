package io.msf.event.internal;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Makes threads that keep nothing of the thread that makes them. The event bundle's threads (a
 * group's loops, a bundle's executor threads) are made on the thread of whoever gives them their
 * first task, often another bundle's, and outlive that task: what they took from it would keep that
 * bundle's class loader in memory after the bundle is updated or uninstalled. So they get
 * <ul>
 * <li>no context class loader;</li>
 * <li>no copy of the maker's inheritable thread locals (a logging library's context holding a
 *     bundle's object, say);</li>
 * <li>no protection domains of the classes on the maker's stack: on Java 17 a thread keeps them, each
 *     holding its class loader, unless it is made in a privileged block.</li>
 * </ul>
 * Daemon, so that threads slow to stop do not keep the JVM alive once the framework is down.
 */
final class DetachedThreads {

    private DetachedThreads() {
    }

    /** A plain thread. */
    @SuppressWarnings("removal") // AccessController is to go, but Thread's constructor still reads it on Java 17
    static Thread plain(Runnable task, String name) {
        return AccessController.doPrivileged((PrivilegedAction<Thread>) () -> detached(
                new Thread(null, task, name, 0, false)));
    }

    /**
     * A {@link FastThreadLocalThread}, which lets Netty's thread locals (buffer caches) take the fast
     * path and be cleaned up when the thread ends. It has no constructor that leaves the inheritable
     * thread locals behind, so it is made on a short-lived thread that has none, once per thread made:
     * a loop's thread is made once, at its first task, never on the path of a task. (Netty's other
     * route, a plain thread run through {@code FastThreadLocalThread.runWithFastThreadLocal}, would cost
     * a JDK thread-local lookup on every buffer allocation of the loop.)
     */
    @SuppressWarnings("removal")
    static Thread fastThreadLocal(Runnable task, String name) {
        FutureTask<Thread> make = new FutureTask<>(() -> detached(new FastThreadLocalThread(task, name)));
        Thread maker = AccessController.doPrivileged((PrivilegedAction<Thread>) () -> detached(
                new Thread(null, make, name + "-maker", 0, false)));
        maker.start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return make.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the thread is made in a moment: wait for it, and say so after
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    if (cause instanceof Error) {
                        throw (Error) cause;
                    }
                    throw new IllegalStateException("thread " + name + " could not be made", cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread detached(Thread thread) {
        thread.setDaemon(true);
        thread.setContextClassLoader(null);
        return thread;
    }
}
