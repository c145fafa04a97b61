package io.msf.client.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs tasks one at a time, in the order given, on a shared executor that may have many threads:
 * a subscription's listener and the state listeners must see their calls in order and never two
 * at once, whatever executor the application chose.
 *
 * <p>When the executor refuses to run them (it was shut down, or is a bounded pool that is full),
 * the tasks waiting are dropped, each through its own {@code dropped} action, on the thread that
 * gave the last one: that is usually the I/O thread, which must go on reading and answering
 * PINGs, so application code never runs there. What is run keeps its order; a dropped task is a
 * gap, never one run late. The next task tries the executor again.
 */
final class SerialExecutor {

    private record Task(Runnable run, Consumer<RejectedExecutionException> dropped) {
    }

    private final Executor executor;
    private final Queue<Task> tasks = new ConcurrentLinkedQueue<>();
    /** Set while a drain is on the executor (or being handed to it): whoever set it owns the queue's head. */
    private final AtomicBoolean draining = new AtomicBoolean();

    SerialExecutor(Executor executor) {
        this.executor = executor;
    }

    /**
     * Runs {@code task} after those given before; if the executor refuses, calls {@code dropped}
     * instead (on this thread), which must give back what the task would have (buffers, places).
     */
    void execute(Runnable task, Consumer<RejectedExecutionException> dropped) {
        tasks.add(new Task(task, dropped));
        while (!tasks.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
                return;
            } catch (RejectedExecutionException e) {
                dropWaiting(e);
                draining.set(false);
                // A task added while the flag was set found it set and returned: take it here.
            }
        }
    }

    /**
     * Runs {@code task} on {@code executor}, or, if that refuses it, on the JDK's common pool: for
     * the completion of a stage the application waits for, which must neither be lost nor run
     * on the calling thread (the I/O thread).
     */
    static void runOn(Executor executor, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            ForkJoinPool.commonPool().execute(task);
        }
    }

    /** Drops what waits; only while this thread holds the flag, so that no drain runs meanwhile. */
    private void dropWaiting(RejectedExecutionException refusal) {
        Task task;
        while ((task = tasks.poll()) != null) {
            try {
                task.dropped().accept(refusal);
            } catch (RuntimeException | Error e) {
                ClientEvents.LOG.log(System.Logger.Level.WARNING, "dropping a refused client callback failed", e);
            }
        }
    }

    private void drain() {
        do {
            Task task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run().run();
                } catch (RuntimeException | Error e) {
                    // Callers catch what they expect; this only keeps the queue alive.
                    ClientEvents.LOG.log(System.Logger.Level.WARNING, "a client callback failed", e);
                }
            }
            draining.set(false);
            // A task added after the last poll but before the flag was cleared found it set: take it here.
        } while (!tasks.isEmpty() && draining.compareAndSet(false, true));
    }
}
