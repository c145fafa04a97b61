package io.msf.client.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs tasks one at a time, in the order given, on a shared executor that may have many threads:
 * a subscription's listener and the state listeners must see their calls in order and never two
 * at once, whatever executor the application chose.
 *
 * <p>When the executor does not run them (it refused: it was shut down, or is a bounded pool that
 * is full; or it dropped the task silently, which {@link WatchedExecutor} notices), the tasks
 * waiting are dropped, each through its own {@code dropped} action, on the thread that gave the
 * last one or on the event loop: that is usually the I/O thread, which must go on reading and
 * answering PINGs, so application code never runs there. What is run keeps its order; a dropped
 * task is a gap, never one run late. The next task tries the executor again: the queue never
 * waits for a task the executor will not run.
 */
final class SerialExecutor {

    /**
     * The most tasks one drain runs before it gives the executor's other tasks a turn. A queue that
     * refills as fast as it runs (a subscription whose publications keep coming) would otherwise hold
     * a thread for as long as the flow lasts: the client's only callback thread, by default, and the
     * handler's requests, the other subscriptions and the state changes waited behind it, the requests
     * until they timed out. A task is a read's batch of publications: a turn costs one more hand-off
     * per 64 of them.
     */
    static final int TASKS_PER_TURN = 64;

    private record Task(Runnable run, Consumer<RejectedExecutionException> dropped) {
    }

    /**
     * A drain that goes ahead of the tasks waiting on the client's own callback thread
     * ({@link ClientThreads}); as any other on an application's executor, whose queue is its own.
     */
    record Ahead(Runnable drain) implements Runnable {
        @Override
        public void run() {
            drain.run();
        }
    }

    private final WatchedExecutor executor;
    private final boolean ahead;
    private final Queue<Task> tasks = new ConcurrentLinkedQueue<>();
    /** Set while a drain is on the executor (or being handed to it): whoever set it owns the queue's head. */
    private final AtomicBoolean draining = new AtomicBoolean();
    /**
     * The thread handing its drain's next turn to the executor, while it does: an executor that runs the
     * turn on that thread (a direct one, a full pool with CallerRunsPolicy) would nest one drain in the
     * other per turn, until the stack overflows; the drain goes on in the outer loop instead.
     */
    private volatile Thread handingOver;
    /** The executor ran the turn inline (see {@link #handingOver}); only that thread reads and writes it. */
    private boolean ranInline;

    SerialExecutor(WatchedExecutor executor) {
        this(executor, false);
    }

    /** @param ahead whether its tasks go ahead of those waiting on the client's own callback thread */
    SerialExecutor(WatchedExecutor executor, boolean ahead) {
        this.executor = executor;
        this.ahead = ahead;
    }

    /**
     * Runs {@code task} after those given before; if the executor does not run it, calls
     * {@code dropped} instead (on this thread or the event loop), which must give back what the
     * task would have (buffers, places).
     */
    void execute(Runnable task, Consumer<RejectedExecutionException> dropped) {
        tasks.add(new Task(task, dropped));
        handOver();
    }

    private void handOver() {
        if (!tasks.isEmpty() && draining.compareAndSet(false, true)) {
            submitDrain();
        }
    }

    /**
     * Hands the rest of the queue to the executor as a new drain; true if the executor ran it here and
     * then (the flag still held) the calling drain goes on. False: the new drain, or the refusal's
     * handling, owns the queue now.
     */
    private boolean nextTurnRanInline() {
        ranInline = false;
        handingOver = Thread.currentThread();
        try {
            submitDrain();
        } finally {
            handingOver = null;
        }
        return ranInline;
    }

    /** Gives the executor a drain, while {@link #draining} is held. */
    private void submitDrain() {
        executor.execute(ahead ? new Ahead(this::drain) : this::drain, this::drainDropped);
    }

    /** The executor did not run the drain: what waits is dropped, and what comes next gets a new one. */
    private void drainDropped(RejectedExecutionException refusal) {
        dropWaiting(refusal);
        draining.set(false);
        // A task added while the flag was set found it set and returned: take it here.
        handOver();
    }

    /** Drops what waits; only while this thread holds the flag, so that no drain runs meanwhile. */
    private void dropWaiting(RejectedExecutionException refusal) {
        Task task;
        while ((task = tasks.poll()) != null) {
            try {
                task.dropped().accept(refusal);
            } catch (RuntimeException | Error e) {
                ClientEvents.LOG.log(System.Logger.Level.WARNING, "dropping a client callback the executor did not run failed", e);
            }
        }
    }

    private void drain() {
        if (handingOver == Thread.currentThread()) {
            ranInline = true; // the outer drain, on this thread, goes on with the queue
            return;
        }
        int ran = 0;
        do {
            Task task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run().run();
                } catch (RuntimeException | Error e) {
                    // Callers catch what they expect; this only keeps the queue alive.
                    ClientEvents.LOG.log(System.Logger.Level.WARNING, "a client callback failed", e);
                }
                if (++ran >= TASKS_PER_TURN && !tasks.isEmpty()) {
                    if (!nextTurnRanInline()) {
                        return; // still draining: the rest after what else waits for the executor
                    }
                    ran = 0; // an executor that runs tasks inline has no other task waiting for a turn
                }
            }
            draining.set(false);
            // A task added after the last poll but before the flag was cleared found it set: take it here.
        } while (!tasks.isEmpty() && draining.compareAndSet(false, true));
    }
}
