package io.msf.client.internal;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The outcomes of a client's asynchronous calls that have arrived and wait for the callback executor
 * to complete their stages ({@link CallbackFuture}), oldest first. Each arrival hands the executor one
 * task, which completes the oldest stage still waiting: a callback that waits for a stage may have
 * completed its own one, and the others before it, meanwhile.
 *
 * <p>Such a callback cannot wait for the executor: the tasks are queued behind it, on the client's own
 * single thread (or a single thread of the application's). It completes the stage of the call its own
 * was made from itself ({@link CallbackFuture}); what it waits for may still hang on another call of the
 * client: a request composed onto another ({@code thenCompose}), two combined ({@code thenCombine}). Only
 * then it comes here, and completes every stage whose outcome arrives, in order, until its own is done;
 * their actions run on its thread, a callback thread too, where they are promised.
 */
final class Arrivals {

    private final WatchedExecutor callbacks;
    private final Queue<CallbackFuture<?>> arrived = new ConcurrentLinkedQueue<>();
    /** The threads of callbacks waiting in {@link #await}: an arrival wakes them. */
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();
    /** The executor's task, one object for every arrival. */
    private final Runnable handOver = this::completeOldest;

    Arrivals(WatchedExecutor callbacks) {
        this.callbacks = callbacks;
    }

    /**
     * The outcome of {@code stage} (a call's own) arrived: the stage is completed by the next task of the
     * callback executor, or by a callback waiting meanwhile. Each task and each turn of a waiting callback
     * completes one stage, so the stages waiting never outnumber the tasks still to run and none is left
     * behind; a task that finds none had its stage completed by a waiting callback.
     */
    void arrived(CallbackFuture<?> stage) {
        arrived.add(stage);
        wakeWaiting();
        callbacks.runSurely(handOver);
    }

    /** Wakes the callbacks waiting in {@link #await}: a stage arrived, or one of those they wait for is done. */
    void wakeWaiting() {
        if (waiting.isEmpty()) {
            return; // the common case: no iterator made for every arrival
        }
        for (Thread waiter : waiting) {
            LockSupport.unpark(waiter);
        }
    }

    /** Completes the oldest stage whose outcome waits; false if none does. */
    private boolean completeOldest() {
        CallbackFuture<?> stage = arrived.poll();
        if (stage == null) {
            return false;
        }
        stage.deliver();
        return true;
    }

    /**
     * Completes the stages whose outcomes arrive, oldest first, until {@code awaited} is done or
     * {@code timeoutNanos} have passed ({@code Long.MAX_VALUE}: for as long as it takes). For a thread
     * running a callback of the client. {@code awaited} done by another thread (a future of the
     * application's it was composed with, a stage completed by another thread of a pool) must call
     * {@link #wakeWaiting}.
     *
     * @param interruptible whether an interrupt ends the wait; if not, the wait goes on and the
     *     interrupt is kept for the caller
     * @return whether {@code awaited} is done
     * @throws InterruptedException if interruptible and the thread is interrupted
     */
    boolean await(CompletableFuture<?> awaited, long timeoutNanos, boolean interruptible) throws InterruptedException {
        Thread self = Thread.currentThread();
        // a callback whose action, run here by an outer wait, waits too: the outer one stays registered
        boolean outermost = waiting.add(self);
        boolean interrupted = false;
        long start = System.nanoTime();
        try {
            while (!awaited.isDone()) {
                if (completeOldest()) {
                    continue;
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                    continue;
                }
                // what is left, not a deadline: start + Long.MAX_VALUE would overflow
                long left = timeoutNanos - (System.nanoTime() - start);
                if (left <= 0) {
                    return false;
                }
                // registered before the queue was read: an arrival since has left a permit, so this returns
                LockSupport.parkNanos(this, left);
            }
            return true;
        } finally {
            if (outermost) {
                waiting.remove(self);
            }
            if (interrupted) {
                self.interrupt();
            }
        }
    }
}
