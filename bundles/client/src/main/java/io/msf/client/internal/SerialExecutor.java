package io.msf.client.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in the order given, on a shared executor that may have many threads:
 * a subscription's listener and the state listeners must see their calls in order and never two
 * at once, whatever executor the application chose.
 *
 * <p>A task the executor refuses (it was shut down, or is saturated) runs on the calling thread,
 * like {@link java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy}: a refused task would
 * otherwise leave a message unreleased and a caller waiting forever.
 */
final class SerialExecutor implements Executor {

    private final Executor executor;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    SerialExecutor(Executor executor) {
        this.executor = executor;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (draining.compareAndSet(false, true)) {
            runOn(executor, this::drain);
        }
    }

    /** Runs {@code task} on {@code executor}, or on this thread if the executor refuses it. */
    static void runOn(Executor executor, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private void drain() {
        do {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
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
