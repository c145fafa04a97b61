package io.msf.timer.internal;

import io.msf.concurrent.ThreadStripes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The wheel-wide count of pending timers, which maxPending bounds, kept without an atomic
 * instruction for the threads that schedule and cancel most. A timeout armed and disarmed per
 * request is the timer service's hot path, and an atomic counter's increment on schedule and
 * decrement on cancel cost about a fifth of it (bench/RESULTS.md, 2026-11-30 05:04).
 *
 * <p>So the count is striped by thread ({@link ThreadStripes}, as the mempool's figures are): up
 * to {@value ThreadStripes#OWNED} threads each add to a stripe only they write, further threads
 * share one they update atomically. The count is the sum of the stripes, so a timer scheduled on
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
 * then by threads left on the shared stripe (see {@link ThreadStripes}).
 */
final class PendingCount {

    /**
     * Longs between two stripes' counts: 128 bytes, not 64, as the adjacent-line prefetcher pulls
     * cache lines in pairs; the first stripe is a stride from the array header too.
     */
    private static final int STRIDE = 16;
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

    private final ThreadStripes stripes = new ThreadStripes();
    private final long[] cells = new long[(ThreadStripes.OWNED + 2) * STRIDE];

    /** Adds one unless the count has reached {@code bound}; false if it has. */
    boolean tryAdd(long bound) {
        if (sum() >= bound) {
            return false;
        }
        add(stripes.stripe(), 1);
        return true;
    }

    /** Takes {@code timers} off the count. */
    void subtract(long timers) {
        add(stripes.stripe(), -timers);
    }

    long sum() {
        long total = (long) CELL.getOpaque(cells, index(ThreadStripes.SHARED));
        for (int stripe = 0, n = stripes.inUse(); stripe < n; stripe++) {
            total += (long) CELL.getOpaque(cells, index(stripe));
        }
        return total;
    }

    /** Frees the stripes of threads that have ended; see {@link ThreadStripes#retireEnded}. */
    int retireEnded() {
        return stripes.retireEnded();
    }

    /** Owned stripes no thread holds now. */
    int freeStripes() {
        return stripes.free();
    }

    private void add(int stripe, long delta) {
        int index = index(stripe);
        if (stripe == ThreadStripes.SHARED) {
            CELL.getAndAdd(cells, index, delta);
        } else {
            CELL.setOpaque(cells, index, cells[index] + delta);
        }
    }

    private static int index(int stripe) {
        return (stripe + 1) * STRIDE;
    }
}
