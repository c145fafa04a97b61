package io.msf.event.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names a group's threads {@code msf-<group>-1..n}, so that thread dumps and log lines say which
 * group a thread serves.
 *
 * <p>A loop's thread is made when the first task comes to it, on the thread that gives it, often a
 * bundle's, and lives as long as its group. It must keep nothing of that bundle: it is made by
 * {@link DetachedThreads} (no context class loader, no inheritable thread locals, no protection
 * domains of the maker's stack).
 */
final class LoopThreadFactory implements ThreadFactory {

    private final String prefix;
    private final AtomicInteger next = new AtomicInteger(1);

    LoopThreadFactory(String group) {
        this.prefix = "msf-" + group + "-";
    }

    @Override
    public Thread newThread(Runnable task) {
        return DetachedThreads.fastThreadLocal(task, prefix + next.getAndIncrement());
    }
}
