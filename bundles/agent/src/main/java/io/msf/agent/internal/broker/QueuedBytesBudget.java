package io.msf.agent.internal.broker;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes queued for all connections together (msf.agent maxQueuedBytes). Each connection's own
 * queue is bounded by its high-water mark, but a thousand connections under their marks can still
 * hold gigabytes of direct memory, which every bundle of the container allocates from.
 *
 * <p>Kept where each connection's own count changes: its {@link ChannelMeter} adds a buffer as it
 * enters the connection's outbound queue and takes it back once the write is done or failed. One
 * atomic add on the write path; only past the budget does the broker look for a peer to cut off
 * ({@link Broker#overBudget}), once at a time, on the loop of the connection whose write passed it.
 *
 * <p>Once passed, the budget is shown as exhausted (the agent's health WARN) until the queues are
 * down to half of it: a peer cut off lets its bytes go at once, but the others that helped fill
 * it are still there.
 */
final class QueuedBytesBudget {

    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean enforcing = new AtomicBoolean();
    private final AtomicBoolean exhausted = new AtomicBoolean();
    private final Broker broker;
    private volatile long limit;

    QueuedBytesBudget(Broker broker, long limit) {
        this.broker = broker;
        this.limit = limit;
    }

    void limit(long bytes) {
        limit = bytes;
    }

    long limit() {
        return limit;
    }

    long queued() {
        return queued.get();
    }

    /** Whether the budget was passed and the queues are not yet down to half of it. */
    boolean exhausted() {
        return exhausted.get();
    }

    /**
     * {@code bytes} entered a connection's queue (on its loop, after they did). Past the budget, the
     * broker looks on that loop for a peer to cut off; the write that passed it is not reentered.
     */
    void add(long bytes, Executor loop) {
        if (queued.addAndGet(bytes) > limit && enforcing.compareAndSet(false, true)) {
            try {
                loop.execute(this::enforce);
            } catch (RejectedExecutionException ended) {
                // That loop has ended (the agent is stopping): the next write past the budget looks on its own.
                enforcing.set(false);
            }
        }
    }

    /** {@code bytes} left a connection's queue: written, failed, or the connection cut off. */
    void release(long bytes) {
        long now = queued.addAndGet(-bytes);
        if (exhausted.get() && now <= limit / 2 && exhausted.compareAndSet(true, false)) {
            broker.budgetChanged();
        }
    }

    private void enforce() {
        try {
            long limitNow = limit;
            if (queued.get() > limitNow) {
                if (exhausted.compareAndSet(false, true)) {
                    broker.budgetChanged();
                }
                broker.overBudget(limitNow);
            }
        } finally {
            enforcing.set(false);
        }
    }
}
