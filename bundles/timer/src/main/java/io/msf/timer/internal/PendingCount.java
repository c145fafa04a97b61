package io.msf.timer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The wheel-wide count of pending timers, which maxPending bounds, kept without an atomic
 * instruction for the threads that schedule and cancel most. A timeout armed and disarmed per
 * request is the timer service's hot path, and an atomic counter's increment on schedule and
 * decrement on cancel cost about a fifth of it (bench/RESULTS.md, 2026-11-30 05:04).
 *
 * <p>So the count is striped by thread, as mempool's {@code Account} stripes its figures: the
 * first {@value #OWNED_STRIPES} threads that touch it each claim a stripe only they write (plain
 * adds published with opaque stores); further threads share one stripe they update atomically.
 * The count is the sum of the stripes, so a timer scheduled on one thread and cancelled on another
 * leaves it exact once both calls have returned. A sum taken while others add and subtract reads
 * the stripes one after the other and may be off by the operations that ran meanwhile, in either
 * direction: the bound and the purge decision can live with that, {@link #sum} callers that
 * display it clamp it at zero.
 *
 * <p>{@link #tryAdd} checks the bound against the sum and then adds, so calls in progress at the
 * same moment may each pass it: the count can exceed the bound by at most one timer per
 * {@code schedule()} in progress at once, which is all a bound against runaway scheduling needs.
 *
 * <p>The worker {@link #retireEnded retires} the stripes of threads that have ended: their counts
 * move to the shared stripe and the stripe is free for the next thread. Without that, eight
 * short-lived threads would leave every later one on the atomic path, and the ended threads (and
 * through their context class loader, maybe an uninstalled bundle) would stay reachable.
 */
final class PendingCount {

    static final int OWNED_STRIPES = 8;
    private static final int SHARED = OWNED_STRIPES;
    /**
     * Longs between two stripes' counts: 128 bytes, not 64, as the adjacent-line prefetcher pulls
     * cache lines in pairs; the first stripe is a stride from the array header too.
     */
    private static final int STRIDE = 16;
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle OWNER = MethodHandles.arrayElementVarHandle(Thread[].class);
    private static final VarHandle STRIPES_IN_USE;

    static {
        try {
            STRIPES_IN_USE = MethodHandles.lookup().findVarHandle(PendingCount.class, "stripesInUse", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] cells = new long[(OWNED_STRIPES + 2) * STRIDE];
    /** Who writes each owned stripe; null while free. Only the worker frees one (retireEnded). */
    private final Thread[] owners = new Thread[OWNED_STRIPES];
    /** Owned stripes claimed so far: the sum skips the rest. Only grows, so a freed stripe stays in. */
    private volatile int stripesInUse;

    /** Adds one unless the count has reached {@code bound}; false if it has. */
    boolean tryAdd(long bound) {
        if (sum() >= bound) {
            return false;
        }
        add(stripe(), 1);
        return true;
    }

    /** Takes {@code timers} off the count. */
    void subtract(long timers) {
        add(stripe(), -timers);
    }

    long sum() {
        long total = (long) CELL.getOpaque(cells, index(SHARED));
        for (int stripe = 0, n = stripesInUse; stripe < n; stripe++) {
            total += (long) CELL.getOpaque(cells, index(stripe));
        }
        return total;
    }

    /**
     * Worker only (one thread at a time): moves the count of every stripe whose thread has ended
     * to the shared stripe and frees the stripe for the next thread.
     *
     * @return how many stripes it freed
     */
    int retireEnded() {
        int freed = 0;
        for (int stripe = 0, n = stripesInUse; stripe < n; stripe++) {
            Thread owner = (Thread) OWNER.getAcquire(owners, stripe);
            if (owner == null || owner.isAlive()) {
                continue;
            }
            // isAlive() returning false makes the ended thread's last writes visible here, and
            // nobody else writes the stripe: its owner is gone and the slot is not free yet. The
            // stripe drops the count before the shared stripe gets it, so a sum racing with the
            // move may miss it for a moment (admit a timer more), never refuse one for it.
            int index = index(stripe);
            long count = cells[index];
            CELL.setOpaque(cells, index, 0L);
            CELL.getAndAdd(cells, index(SHARED), count);
            // Release: a thread that claims the freed slot (by CAS) finds the stripe at zero.
            OWNER.setRelease(owners, stripe, (Thread) null);
            freed++;
        }
        return freed;
    }

    /** Owned stripes no thread holds now. */
    int freeStripes() {
        int free = 0;
        for (int stripe = 0; stripe < OWNED_STRIPES; stripe++) {
            if (OWNER.getAcquire(owners, stripe) == null) {
                free++;
            }
        }
        return free;
    }

    private void add(int stripe, long delta) {
        int index = index(stripe);
        if (stripe == SHARED) {
            CELL.getAndAdd(cells, index, delta);
        } else {
            CELL.setOpaque(cells, index, cells[index] + delta);
        }
    }

    private static int index(int stripe) {
        return (stripe + 1) * STRIDE;
    }

    /** The calling thread's stripe: found by identity in a short array, claimed on first use. */
    private int stripe() {
        Thread me = Thread.currentThread();
        for (int stripe = 0; stripe < OWNED_STRIPES; stripe++) {
            Thread owner = owners[stripe];
            if (owner == me) {
                return stripe;
            }
            if (owner == null && claim(stripe, me)) {
                return stripe;
            }
        }
        return SHARED;
    }

    private boolean claim(int stripe, Thread me) {
        // In use before claimed: should the claim fail, the sum merely reads one more zero.
        markInUse(stripe);
        return OWNER.compareAndSet(owners, stripe, (Thread) null, me);
    }

    private void markInUse(int stripe) {
        int inUse = stripesInUse;
        while (inUse <= stripe) {
            if (STRIPES_IN_USE.compareAndSet(this, inUse, stripe + 1)) {
                return;
            }
            inUse = stripesInUse;
        }
    }
}
