package io.msf.client.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the received messages waiting for the application's executor. Each holds a slice of a
 * pooled read buffer, so an application that falls behind would otherwise pin memory without limit.
 * An overload is reported once, not once per dropped message, and again only after the queue has
 * drained to half: a flood of reports would make the overload worse.
 */
final class InboundBudget {

    private final int limit;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean overloaded = new AtomicBoolean();

    InboundBudget(int limit) {
        this.limit = limit;
    }

    /** Takes a place in the queue; false if it is full. */
    boolean tryAcquire() {
        if (queued.incrementAndGet() > limit) {
            queued.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives a place back: a queued message was handled. */
    void release() {
        // Read first: a write on every release would bounce the flag's cache line between threads.
        if (queued.decrementAndGet() <= limit / 2 && overloaded.get()) {
            overloaded.set(false);
        }
    }

    /** True for the first refusal of an overload, which is then to be reported. */
    boolean firstRefusal() {
        return overloaded.compareAndSet(false, true);
    }

    int limit() {
        return limit;
    }
}
