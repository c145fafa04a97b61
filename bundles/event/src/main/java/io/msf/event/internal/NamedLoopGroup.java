package io.msf.event.internal;

import io.msf.event.api.EventLoopStats;
import io.msf.event.api.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** One event-loop group with the counters of the tasks run and cancelled through the service. */
final class NamedLoopGroup {

    private final String name;
    private final Transport transport;
    private final ContainerLoopGroup group;
    /** The group as bundles get it: they may not shut it down for everyone. */
    private final SharedLoopGroup shared;
    /** Shared with the group this one replaced, if any: see the constructor. */
    private final LongAdder tasksRun;
    private final LongAdder tasksCancelled;

    NamedLoopGroup(String name, Transport transport, int threads) {
        this(name, transport, threads, null);
    }

    /**
     * A group that replaces {@code replaced} (null: none) in a swap. Its counters are the replaced group's,
     * so that they go on rather than start again from zero (loop:stats, msf:services, and a monitor that
     * takes a counter's drop for a restart), and count the replaced group's tasks still draining too.
     */
    NamedLoopGroup(String name, Transport transport, int threads, NamedLoopGroup replaced) {
        this.tasksRun = replaced != null ? replaced.tasksRun : new LongAdder();
        this.tasksCancelled = replaced != null ? replaced.tasksCancelled : new LongAdder();
        this.name = name;
        this.transport = transport;
        this.group = new ContainerLoopGroup(name, threads, new LoopThreadFactory(name),
                TransportChoice.ioHandlerFactory(transport));
        this.shared = new SharedLoopGroup(name, group);
    }

    String name() {
        return name;
    }

    Transport transport() {
        return transport;
    }

    EventLoopGroup group() {
        return group;
    }

    /** The group for bundles: all of it but shutting it down. */
    EventLoopGroup shared() {
        return shared;
    }

    /**
     * Shuts the group down, waiting at most {@code timeout} for a quiet period; what is queued runs all the
     * same (Netty's loops run their queue before they look at the time). Bundles cannot.
     */
    Future<?> shutDown(long quietPeriod, long timeout, TimeUnit unit) {
        return group.shutDownForContainer(quietPeriod, timeout, unit);
    }

    int threads() {
        return group.executorCount();
    }

    /** Wraps a task so that its run is counted; a LongAdder keeps that cheap on busy loops. */
    Runnable counted(Runnable task) {
        return () -> {
            try {
                task.run();
            } finally {
                tasksRun.increment();
            }
        };
    }

    void cancelled(long count) {
        tasksCancelled.add(count);
    }

    /** True if the calling thread is one of this group's loops (waiting on the group there would deadlock). */
    boolean ownsCurrentThread() {
        for (EventExecutor executor : group) {
            if (executor.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    EventLoopStats stats() {
        long pending = 0;
        for (EventExecutor executor : group) {
            if (executor instanceof SingleThreadEventExecutor) {
                pending += ((SingleThreadEventExecutor) executor).pendingTasks();
            }
        }
        return new EventLoopStats(name, transport, threads(), pending, tasksRun.sum(), tasksCancelled.sum());
    }
}
