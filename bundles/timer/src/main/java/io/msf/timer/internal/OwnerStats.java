package io.msf.timer.internal;

import io.msf.timer.api.TimerStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The figures of one owner (bundle symbolic name), kept for the wheel's lifetime so that they
 * survive a restart of the bundle. Only cancellations of timers already in the wheel are counted
 * by the cancelling thread, in a {@link LongAdder} that does not contend; everything else is
 * counted by the worker thread alone, with plain ordered writes. A timer therefore shows in the
 * figures once the worker has taken it in, at its next tick.
 */
final class OwnerStats {

    private final LongAdder cancelledInWheel = new LongAdder();
    // Single writer (the worker thread): lazySet is an ordered plain store, no atomic instruction.
    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicLong cancelledHandedOver = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong fired = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    void cancelledInWheel() {
        cancelledInWheel.increment();
    }

    /** Worker only: a timer reached the worker; counted before it can be cancelled in the wheel. */
    void handedOver() {
        bump(scheduled);
    }

    /** Worker only: a timer reached the worker cancelled already. */
    void cancelledHandedOver() {
        bump(cancelledHandedOver);
    }

    /** Worker only: a one-shot timer left the pending set to run. */
    void expired() {
        bump(expired);
    }

    /** Worker only: a task run starts. */
    void ran(boolean wasLate) {
        bump(fired);
        if (wasLate) {
            bump(late);
        }
    }

    /** Worker only. */
    void failed() {
        bump(failed);
    }

    TimerStats snapshot() {
        // Every decrease of pending happens after its increase, so reading the decreases first
        // never yields a negative figure.
        long cancelled = cancelledInWheel.sum() + cancelledHandedOver.get();
        long left = cancelled + expired.get();
        return new TimerStats(scheduled.get() - left, fired.get(), cancelled, late.get(), failed.get());
    }

    static TimerStats sum(Iterable<OwnerStats> all) {
        long pending = 0;
        long fired = 0;
        long cancelled = 0;
        long late = 0;
        long failed = 0;
        for (OwnerStats stats : all) {
            TimerStats one = stats.snapshot();
            pending += one.pending();
            fired += one.fired();
            cancelled += one.cancelled();
            late += one.late();
            failed += one.failed();
        }
        return new TimerStats(pending, fired, cancelled, late, failed);
    }

    private static void bump(AtomicLong counter) {
        counter.lazySet(counter.get() + 1);
    }
}
