package io.msf.event.internal;

import io.msf.concurrent.DetachedThreads;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names a group's threads {@code msf-<group>-1..n}, so that thread dumps and log lines say which
 * group a thread serves.
 *
 * <p>A loop's thread is made when the first task comes to it, on the thread that gives it, often a
 * bundle's, and lives as long as its group. It must keep nothing of that bundle, as
 * {@link DetachedThreads} says; but it is a {@link FastThreadLocalThread}, which lets Netty's thread
 * locals (buffer caches) take the fast path and be cleaned up when the loop ends, and which has no
 * constructor that leaves the maker's inheritable thread locals behind. So it is made on a short-lived
 * detached thread, which has none to copy: one such thread per loop thread made, once per loop at its
 * first task, never on the path of a task. (Netty's other route, a plain thread run through
 * {@code FastThreadLocalThread.runWithFastThreadLocal}, would cost a JDK thread-local lookup on every
 * buffer allocation of the loop: such a thread reads Netty's thread locals through
 * {@code InternalThreadLocalMap.slowGet}.)
 */
final class LoopThreadFactory implements ThreadFactory {

    private final String prefix;
    private final AtomicInteger next = new AtomicInteger(1);

    LoopThreadFactory(String group) {
        this.prefix = "msf-" + group + "-";
    }

    @Override
    public Thread newThread(Runnable task) {
        String name = prefix + next.getAndIncrement();
        FutureTask<Thread> make = new FutureTask<>(() -> {
            // made on the detached thread: its context class loader (none) and its protection domains
            // (this bundle's) are what the loop's thread takes
            Thread thread = new FastThreadLocalThread(task, name);
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            return thread;
        });
        DetachedThreads.newThread(make, name + "-maker").start();
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
}
