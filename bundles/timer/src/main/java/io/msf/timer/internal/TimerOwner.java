package io.msf.timer.internal;

import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerStats;

/**
 * One activation of one owner (a bundle that uses the timer service): every timer points to the
 * owner that scheduled it, so that the worker can find and cancel them all when the owner is
 * closed. Scheduling only reads the owner's closed flag: there is no per-owner set of timers to
 * keep up, and its figures are counted without contention (see {@link OwnerStats}).
 */
final class TimerOwner {

    final String name;
    final OwnerStats stats;
    private final TimerWheel wheel;
    private volatile boolean closed;
    /** Worker only: timers the worker cancelled because this owner was closed. */
    long cancelledOnClose;
    /** Worker only: a task of this owner's left the worker interrupted, and that was told (once per owner). */
    boolean interruptReported;
    /** Worker only: a task of this owner's held the worker for a second or more, and that was told (once). */
    boolean holdReported;

    TimerOwner(String name, OwnerStats stats, TimerWheel wheel) {
        this.name = name;
        this.stats = stats;
        this.wheel = wheel;
    }

    /**
     * Schedules {@code task} for this owner; arguments are already checked by the caller.
     *
     * @param periodNanos 0 for a one-shot timer
     * @throws IllegalStateException if this owner is closed or the wheel is full
     */
    Timeout schedule(Runnable task, long delayNanos, long periodNanos) {
        return wheel.schedule(this, task, delayNanos, periodNanos);
    }

    TimerStats stats() {
        return stats.snapshot();
    }

    boolean isClosed() {
        return closed;
    }

    /** Refuses new timers from now on; pending ones are cancelled by {@link TimerWheel#sweep}. */
    void close() {
        closed = true;
    }

    void cancelledInWheel() {
        stats.cancelledInWheel();
        wheel.released(1);
    }

    /** Frees its place now; the worker counts it in the figures when it takes the timer in. */
    void cancelledHandedOver() {
        wheel.cancelledHandedOver();
    }

    @Override
    public String toString() {
        return name;
    }
}
