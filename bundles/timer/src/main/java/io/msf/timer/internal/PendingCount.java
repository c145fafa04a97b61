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
 * <p>The worker {@link #retireEnded frees} the stripes of threads that have ended at each turn,
 * count and all, for the next thread to claim and carry on (while the wheel is idle, at the turn
 * the next timer brings). Without that, eight short-lived threads would leave every later one on
 * the atomic path, and the ended threads (and through their context class loader, maybe an
 * uninstalled bundle) would stay reachable.
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
    /** Who writes each owned stripe; null while free. Only {@link #retireEnded} frees one. */
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
     * Frees the stripe of every thread that has ended, for the next thread to claim. The stripe
     * keeps its count and its next owner carries on from it: a stripe is only one part of the sum,
     * so the sum does not move and nothing has to be moved under readers and writers.
     *
     * @return how many stripes it freed
     */
    int retireEnded() {
        int freed = 0;
        for (int stripe = 0, n = stripesInUse; stripe < n; stripe++) {
            Thread owner = (Thread) OWNER.getAcquire(owners, stripe);
            // isAlive() returning false makes the ended thread's last writes visible here, and the
            // CAS passes them on to the thread whose CAS claims the slot next: its plain
            // read-add-store carries on from them. Of two threads retiring at once, one CAS wins.
            if (owner != null && !owner.isAlive() && OWNER.compareAndSet(owners, stripe, owner, null)) {
                freed++;
            }
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
            if (owner == null && !ownsLater(stripe, me) && claim(stripe, me)) {
                return stripe;
            }
        }
        return SHARED;
    }

    /** True if a slot freed before the thread's own: it must find its stripe, not take a second. */
    private boolean ownsLater(int free, Thread me) {
        for (int stripe = free + 1; stripe < OWNED_STRIPES; stripe++) {
            if (owners[stripe] == me) {
                return true;
            }
        }
        return false;
    }

    private boolean claim(int stripe, Thread me) {
        // In use before claimed: should the claim fail, the sum merely reads one more stripe.
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
