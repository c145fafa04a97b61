package io.msf.concurrent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Counters that hot paths update without atomic instructions, striped by thread: the mempool's
 * per-bundle figures, the timer's pending count. Each stripe holds one slot per counter; a
 * counter's value is the sum of its slots.
 *
 * <p>The first {@value #OWNED} threads that ask each claim a stripe only they write, with plain
 * adds published by opaque stores; every further thread gets {@link #SHARED}, a stripe updated
 * atomically. A counter value changed on one thread and changed back on another leaves the sum
 * exact; a sum taken while others add reads the stripes one after the other and may be off by the
 * adds that ran meanwhile, never see a torn value.
 *
 * <p>Stripes of threads that have ended are {@link #retireEnded freed} for the next thread to
 * claim, counts and all: the next owner carries on from them, so no sum moves and nothing is copied
 * under readers and writers. {@link #stripe} looks for ended owners itself now and then (about once
 * in {@value #RETIRE_EVERY} calls) when it is left on the shared stripe; a user with a thread of
 * its own (a reader, a worker) may call {@link #retireEnded} too, so that ended threads (and through
 * their context class loader, maybe an uninstalled bundle) do not stay reachable.
 */
public final class StripedCounters {

    /** Stripes threads may own; {@link #stripe} returns 0 to {@code OWNED - 1} for them. */
    public static final int OWNED = 8;
    /** The stripe of threads that own none: updated atomically. */
    public static final int SHARED = OWNED;

    private static final int RETIRE_EVERY = 1024;
    /**
     * Stripes start a multiple of 16 longs apart, 128 bytes (the adjacent-line prefetcher pulls
     * cache lines in pairs), and the first 16 longs after the array header: no two threads write
     * the same line, nor one the line the header sits on.
     */
    private static final int LINE_PAIR = 16;
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle OWNER = MethodHandles.arrayElementVarHandle(Thread[].class);
    private static final VarHandle IN_USE;

    static {
        try {
            IN_USE = MethodHandles.lookup().findVarHandle(StripedCounters.class, "inUse", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int stride;
    private final long[] cells;
    /** Who writes each owned stripe; null while free. Only {@link #retireEnded} frees one. */
    private final Thread[] owners = new Thread[OWNED];
    /** Owned stripes claimed so far: sums skip the rest. Only grows, so a freed stripe stays in. */
    private volatile int inUse;

    /** {@code counters} counters, each 0 to start with. */
    public StripedCounters(int counters) {
        if (counters < 1) {
            throw new IllegalArgumentException("counters must be positive, was " + counters);
        }
        this.stride = (counters + LINE_PAIR - 1) / LINE_PAIR * LINE_PAIR;
        this.cells = new long[LINE_PAIR + (SHARED + 1) * stride];
    }

    /**
     * Adds {@code delta} to {@code counter} in {@code stripe}, which must be what {@link #stripe}
     * returned to this thread: callers that add to several counters look their stripe up once.
     */
    public void add(int stripe, int counter, long delta) {
        int index = index(stripe, counter);
        if (stripe == SHARED) {
            CELL.getAndAdd(cells, index, delta);
        } else {
            CELL.setOpaque(cells, index, cells[index] + delta);
        }
    }

    /** The value of {@code counter}: the sum of its slots in every stripe that may hold counts. */
    public long sum(int counter) {
        long total = (long) CELL.getOpaque(cells, index(SHARED, counter));
        for (int stripe = 0, n = inUse; stripe < n; stripe++) {
            total += (long) CELL.getOpaque(cells, index(stripe, counter));
        }
        return total;
    }

    /** The calling thread's stripe, claimed on first use: 0 to {@code OWNED - 1}, or {@link #SHARED}. */
    public int stripe() {
        Thread me = Thread.currentThread();
        for (int stripe = 0; stripe < OWNED; stripe++) {
            Thread owner = owners[stripe];
            if (owner == me) {
                return stripe;
            }
            if (owner == null && !ownsLater(stripe, me) && claim(stripe, me)) {
                return stripe;
            }
        }
        // Now and then (a per-thread draw: no write to a line every stripe() reads) look for
        // stripes of ended threads.
        if (ThreadLocalRandom.current().nextInt(RETIRE_EVERY) == 0 && retireEnded() > 0) {
            return stripe(); // claims a freed stripe, unless other threads were quicker
        }
        return SHARED;
    }

    /** Owned stripes that may hold counts: sums read stripes 0 to {@code inUse() - 1} and {@link #SHARED}. */
    int inUse() {
        return inUse;
    }

    /**
     * Frees the stripe of every thread that has ended, for the next thread to claim; the stripe
     * keeps its counts. Safe from any thread, at any time.
     *
     * @return how many stripes it freed
     */
    public int retireEnded() {
        int freed = 0;
        for (int stripe = 0, n = inUse; stripe < n; stripe++) {
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
    public int free() {
        int free = 0;
        for (int stripe = 0; stripe < OWNED; stripe++) {
            if (OWNER.getAcquire(owners, stripe) == null) {
                free++;
            }
        }
        return free;
    }

    private int index(int stripe, int counter) {
        return LINE_PAIR + stripe * stride + counter;
    }

    /** True if a slot freed before the thread's own: it must find its stripe, not take a second. */
    private boolean ownsLater(int free, Thread me) {
        for (int stripe = free + 1; stripe < OWNED; stripe++) {
            if (owners[stripe] == me) {
                return true;
            }
        }
        return false;
    }

    private boolean claim(int stripe, Thread me) {
        // In use before claimed: should the claim fail, sums merely read one more stripe.
        markInUse(stripe);
        return OWNER.compareAndSet(owners, stripe, (Thread) null, me);
    }

    private void markInUse(int stripe) {
        int seen = inUse;
        while (seen <= stripe) {
            if (IN_USE.compareAndSet(this, seen, stripe + 1)) {
                return;
            }
            seen = inUse;
        }
    }
}
