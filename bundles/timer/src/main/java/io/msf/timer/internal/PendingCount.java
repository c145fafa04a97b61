package io.msf.timer.internal;

import io.msf.concurrent.StripedCounters;

/**
 * The wheel-wide count of pending timers, which maxPending bounds, kept without an atomic
 * instruction for the threads that schedule and cancel most. A timeout armed and disarmed per
 * request is the timer service's hot path, and an atomic counter's increment on schedule and
 * decrement on cancel cost about a fifth of it (bench/RESULTS.md, 2026-11-30 05:04).
 *
 * <p>So the count is a {@link StripedCounters}, as the mempool's figures are: up to
 * {@value StripedCounters#OWNED} threads each add to a stripe only they write, further threads
 * share one updated atomically. The count is the sum of the stripes, so a timer scheduled on
 * one thread and cancelled on another leaves it exact once both calls have returned. A sum taken
 * while others add and subtract reads the stripes one after the other and may be off by the
 * operations that ran meanwhile, in either direction: the bound and the purge decision can live
 * with that, {@link #sum} callers that display it clamp it at zero.
 *
 * <p>{@link #tryAdd} checks the bound against the sum and then adds, so calls in progress at the
 * same moment may each pass it: the count can exceed the bound by at most one timer per
 * {@code schedule()} in progress at once, which is all a bound against runaway scheduling needs.
 *
 * <p>Beside it, in the same stripe, the count of timers cancelled before the worker took them in: they
 * gave their place back at once, but wait in the inbound queue until the worker gets to them. While a
 * task blocks the worker that queue only grows, so the bound counts them too then (see
 * {@link TimerWheel#schedule}); the canceller adds one as it takes one off the pending count, in the
 * stripe it writes anyway, and the worker takes those it met off in one add per drain.
 *
 * <p>The stripes of threads that have ended are freed for later threads: by the worker at each turn
 * ({@link #retireEnded}; while the wheel is idle, at the turn the next timer brings) and now and
 * then by threads left on the shared stripe (see {@link StripedCounters}).
 */
final class PendingCount {

    private static final int PENDING = 0;
    private static final int CANCELLED_NOT_TAKEN_IN = 1;
    private final StripedCounters counters = new StripedCounters(2);

    /** Adds one unless the count has reached {@code bound}; false if it has. */
    boolean tryAdd(long bound) {
        return tryAdd(bound, false);
    }

    /**
     * Adds one unless the count, with the cancelled timers not taken in yet if
     * {@code withCancelledNotTakenIn}, has reached {@code bound}; false if it has.
     */
    boolean tryAdd(long bound, boolean withCancelledNotTakenIn) {
        long count = withCancelledNotTakenIn ? sum() + cancelledNotTakenIn() : sum();
        if (count >= bound) {
            return false;
        }
        counters.add(counters.stripe(), PENDING, 1);
        return true;
    }

    /** Takes {@code timers} off the count. */
    void subtract(long timers) {
        counters.add(counters.stripe(), PENDING, -timers);
    }

    /** Takes a timer the worker has not taken in yet off the count, into the cancelled ones it has yet to meet. */
    void cancelledBeforeTakenIn() {
        int stripe = counters.stripe();
        counters.add(stripe, PENDING, -1);
        counters.add(stripe, CANCELLED_NOT_TAKEN_IN, 1);
    }

    /** Worker only: it met {@code timers} cancelled timers in the inbound queue. */
    void takenInCancelled(long timers) {
        counters.add(counters.stripe(), CANCELLED_NOT_TAKEN_IN, -timers);
    }

    /** Timers cancelled before the worker took them in, still waiting for it. */
    long cancelledNotTakenIn() {
        return counters.sum(CANCELLED_NOT_TAKEN_IN);
    }

    long sum() {
        return counters.sum(PENDING);
    }

    /** Frees the stripes of threads that have ended; see {@link StripedCounters#retireEnded}. */
    int retireEnded() {
        return counters.retireEnded();
    }

    /** Owned stripes no thread holds now. */
    int freeStripes() {
        return counters.free();
    }
}
