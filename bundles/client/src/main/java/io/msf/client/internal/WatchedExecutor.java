package io.msf.client.internal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The executor application code runs on, with what to do when it does not run a task. An
 * executor refuses by throwing; but one that drops tasks silently ({@code
 * ThreadPoolExecutor.DiscardPolicy}, or any that loses them) neither runs nor throws, and what
 * waits for the task would wait for ever: a subscription's queue, a requester's stage, a place
 * among the received messages. So the application's executor is watched: a task it has neither
 * started nor refused within {@code stallNanos}, and that the executor has shown it will not run,
 * is taken as dropped, like a refused one, by {@link #reclaimStalled}, which the client's event
 * loop calls now and then (one timer per client, not one per task). Whichever comes first, the
 * executor starting it or the watch taking it back, decides: a task taken back does nothing if
 * the executor runs it after all.
 *
 * <p>A task that waits behind a backlog is not dropped, however long that takes. A plain
 * {@link ThreadPoolExecutor} says whether it still holds a task: one no longer in its queue was
 * dropped. Any other executor (such as the wrapped pool of {@code Executors.newSingleThreadExecutor()},
 * a {@code ScheduledThreadPoolExecutor} or another subclass, whose queue may hold wrappers) cannot
 * be looked into: a task of its is taken as dropped once the executor has started a task handed to
 * it later, which it does not do to one still waiting in order, or once it has terminated.
 *
 * <p>The client's own callback thread, which never drops a task, and the I/O thread are not
 * watched: they cost nothing more than the executor itself.
 */
final class WatchedExecutor {

    /** A task handed to the executor: runs or is dropped, exactly once. */
    private final class Handoff extends AtomicBoolean implements Runnable {
        private final Runnable task;
        private final Consumer<RejectedExecutionException> dropped;
        private final long handedAtNanos = System.nanoTime();
        /** The order in which tasks were handed to the executor. */
        private final long number = handed.incrementAndGet();
        /** Found not run at the last look (event loop only): taken as dropped if still so at the next. */
        private boolean seenNotRun;

        Handoff(Runnable task, Consumer<RejectedExecutionException> dropped) {
            this.task = task;
            this.dropped = dropped;
        }

        /** True for the one caller that decides what becomes of the task. */
        boolean claim() {
            if (compareAndSet(false, true)) {
                waiting.remove(this);
                return true;
            }
            return false;
        }

        @Override
        public void run() {
            lastStarted.accumulateAndGet(number, Math::max);
            if (claim()) {
                WatchedExecutor outer = RUNNING.get(); // an executor that runs tasks inline may nest them
                RUNNING.set(WatchedExecutor.this);
                try {
                    task.run();
                } finally {
                    if (outer == null) {
                        RUNNING.remove();
                    } else {
                        RUNNING.set(outer);
                    }
                }
            }
        }

        /** The task's: an executor's refusal names it. */
        @Override
        public String toString() {
            return task.toString();
        }
    }

    /** The watched executor whose task this thread runs, if any: see {@link #runsTaskHere}. */
    private static final ThreadLocal<WatchedExecutor> RUNNING = new ThreadLocal<>();

    private final Executor executor;
    /** 0: not watched. */
    private final long stallNanos;
    private final Set<Handoff> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicLong handed = new AtomicLong();
    /** The latest task (by {@link Handoff#number}) the executor started. */
    private final AtomicLong lastStarted = new AtomicLong();

    /** @param stallNanos how long a task may wait unstarted before it counts as dropped; 0: never */
    WatchedExecutor(Executor executor, long stallNanos) {
        this.executor = executor;
        this.stallNanos = stallNanos;
    }

    /** Not watched: an executor that runs or refuses every task. */
    static WatchedExecutor trusted(Executor executor) {
        return new WatchedExecutor(executor, 0);
    }

    boolean watched() {
        return stallNanos > 0;
    }

    /**
     * Runs {@code task} on the executor; if it refuses, calls {@code dropped} on this thread, and if
     * it neither runs nor refuses it, on the event loop once the task has waited too long.
     * {@code dropped} must give back what the task would have (buffers, places).
     */
    void execute(Runnable task, Consumer<RejectedExecutionException> dropped) {
        if (!watched()) {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                dropped.accept(e);
            }
            return;
        }
        Handoff handoff = new Handoff(task, dropped);
        waiting.add(handoff);
        try {
            executor.execute(handoff);
        } catch (RejectedExecutionException e) {
            if (handoff.claim()) {
                dropped.accept(e);
            }
        }
    }

    /**
     * Whether this thread runs a task given to this executor now. Known of a watched executor only (the
     * application's), whose tasks are wrapped anyway; the client's own callback thread is known by itself.
     */
    boolean runsTaskHere() {
        return RUNNING.get() == this;
    }

    /**
     * Runs {@code task} on the executor, or, if that does not run it, on the JDK's common pool:
     * for the completion of a stage the application waits for, which must neither be lost nor run
     * on the calling thread (the I/O thread).
     */
    void runSurely(Runnable task) {
        execute(task, refused -> ForkJoinPool.commonPool().execute(task));
    }

    /**
     * Whether the executor has shown it will not run {@code handoff} (see the class comment).
     *
     * @param queued the tasks a plain {@link ThreadPoolExecutor} holds, null for another executor
     */
    private boolean notRunBy(Handoff handoff, Set<Runnable> queued) {
        if (queued != null) {
            return !queued.contains(handoff);
        }
        return lastStarted.get() > handoff.number
                || executor instanceof ExecutorService service && service.isTerminated();
    }

    /**
     * What a plain {@link ThreadPoolExecutor} holds, read once for all the tasks looked at (not a
     * search of its queue per task, on the I/O thread); null for any other executor. Only the JDK's
     * own class for sure queues the tasks themselves: a subclass may wrap them.
     */
    private Set<Runnable> queuedTasks() {
        if (executor.getClass() != ThreadPoolExecutor.class) {
            return null;
        }
        Set<Runnable> queued = Collections.newSetFromMap(new IdentityHashMap<>());
        queued.addAll(((ThreadPoolExecutor) executor).getQueue());
        return queued;
    }

    /** Takes the tasks that waited too long for the executor as dropped. Called on the event loop. */
    void reclaimStalled() {
        reclaim(stallNanos, true);
    }

    /**
     * Takes what the executor has shown it will not run as dropped, however short a time it waited:
     * the client is closing and no watch follows, so what it dropped shortly before would hold its
     * buffers for good. One a pool is just starting may be taken so too: a message the closing
     * client drops anyway, or a completion that then runs on the common pool. Those still waiting
     * run, or are dropped by the executor's refusal, later.
     */
    void reclaimAtClose() {
        if (watched()) {
            reclaim(0, false);
        }
    }

    /**
     * @param afterNanos how long a task must have waited to be looked at
     * @param twice whether a task must be found not run at two looks in a row: a pool's worker
     *     takes a task out of the queue a moment before it starts it, and one looked at in that
     *     moment is not taken as dropped
     */
    private void reclaim(long afterNanos, boolean twice) {
        long now = System.nanoTime();
        Set<Runnable> queued = null;
        boolean queueRead = false;
        for (Handoff handoff : waiting) {
            long waitedNanos = now - handoff.handedAtNanos;
            if (waitedNanos < afterNanos) {
                continue;
            }
            if (!queueRead) {
                queued = queuedTasks();
                queueRead = true;
            }
            if (!notRunBy(handoff, queued)) {
                handoff.seenNotRun = false;
                continue;
            }
            if (twice && !handoff.seenNotRun) {
                handoff.seenNotRun = true;
                continue;
            }
            if (handoff.claim()) {
                try {
                    handoff.dropped.accept(new RejectedExecutionException("it neither ran nor refused a task within "
                            + TimeUnit.NANOSECONDS.toMillis(waitedNanos) + " ms: taken as dropped"));
                } catch (RuntimeException | Error e) {
                    ClientEvents.LOG.log(System.Logger.Level.WARNING, "dropping a stalled client callback failed", e);
                }
            }
        }
    }
}
