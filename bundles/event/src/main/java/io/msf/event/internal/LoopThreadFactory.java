package io.msf.event.internal;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names a group's threads {@code msf-<group>-1..n}, so that thread dumps and log lines say which
 * group a thread serves.
 */
final class LoopThreadFactory implements ThreadFactory {

    private final String prefix;
    private final AtomicInteger next = new AtomicInteger(1);

    LoopThreadFactory(String group) {
        this.prefix = "msf-" + group + "-";
    }

    @Override
    public Thread newThread(Runnable task) {
        // FastThreadLocalThread lets Netty's thread locals (buffer caches) take the fast path and be
        // cleaned up when the loop ends.
        Thread thread = new FastThreadLocalThread(task, prefix + next.getAndIncrement());
        // Daemon: a group that is slow to stop must not keep the JVM alive once the framework is down.
        thread.setDaemon(true);
        return thread;
    }
}
