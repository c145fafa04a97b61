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
 * <p>The stripes of threads that have ended are freed for later threads: by the worker at each turn
 * ({@link #retireEnded}; while the wheel is idle, at the turn the next timer brings) and now and
 * then by threads left on the shared stripe (see {@link StripedCounters}).
 */
final class PendingCount {

    private final StripedCounters counters = new StripedCounters(1);

    /** Adds one unless the count has reached {@code bound}; false if it has. */
    boolean tryAdd(long bound) {
        if (sum() >= bound) {
            return false;
        }
        counters.add(counters.stripe(), 0, 1);
        return true;
    }

    /** Takes {@code timers} off the count. */
    void subtract(long timers) {
        counters.add(counters.stripe(), 0, -timers);
    }

    long sum() {
        return counters.sum(0);
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
