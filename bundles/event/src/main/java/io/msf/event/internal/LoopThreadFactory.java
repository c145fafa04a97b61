package io.msf.event.internal;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names a group's threads {@code msf-<group>-1..n}, so that thread dumps and log lines say which
 * group a thread serves.
 *
 * <p>A loop's thread is made when the first task comes to it, on the thread that gives it, often a
 * bundle's, and lives as long as its group. It must keep nothing of that bundle, whose class loader
 * would stay in memory after the bundle is updated or uninstalled: it gets no context class loader,
 * and is made in a privileged block, since on Java 17 a thread keeps the protection domains of every
 * class on its maker's stack, each holding its class loader. (It still copies the maker's inheritable
 * thread locals: FastThreadLocalThread has no constructor that does not.)
 */
final class LoopThreadFactory implements ThreadFactory {

    private final String prefix;
    private final AtomicInteger next = new AtomicInteger(1);

    LoopThreadFactory(String group) {
        this.prefix = "msf-" + group + "-";
    }

    @Override
    @SuppressWarnings("removal") // AccessController is to go, but Thread's constructor still reads it on Java 17
    public Thread newThread(Runnable task) {
        String name = prefix + next.getAndIncrement();
        return AccessController.doPrivileged((PrivilegedAction<Thread>) () -> {
            // FastThreadLocalThread lets Netty's thread locals (buffer caches) take the fast path and be
            // cleaned up when the loop ends.
            Thread thread = new FastThreadLocalThread(task, name);
            // Daemon: a group that is slow to stop must not keep the JVM alive once the framework is down.
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            return thread;
        });
    }
}
