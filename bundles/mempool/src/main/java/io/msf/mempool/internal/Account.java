package io.msf.mempool.internal;

import io.msf.mempool.api.MemoryLimitExceededException;
import io.msf.mempool.api.PoolUsage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One owner's figures. Charging and crediting a buffer takes no lock, no map look-up and, for the
 * threads that use the account most, no atomic instruction: measured while building it,
 * four uncontended atomic adds per alloc+free cost several times what these striped counters do,
 * on an operation of well under 100 ns that the pool has to stay close to.
 *
 * <p>So the counters are striped by thread. The first {@value #OWNED_STRIPES} threads that touch the
 * account each claim a stripe only they write (plain adds published with opaque stores); other
 * threads share one stripe they update atomically. Readers add the stripes up. A buffer charged on
 * one thread and credited on another leaves the sums exact; a reader racing with writers reads the
 * stripes one after the other and may be off by the operations that ran meanwhile, never see a
 * corrupted figure. The timer's pending count is kept the same way ({@code PendingCount}).
 *
 * <p>The stripes of threads that have ended are {@link #retireEnded freed}, counts and all, for the
 * next thread to claim and carry on. Readers of the figures do it (the monitor samples them), and
 * threads on the shared stripe now and then; without it, eight short-lived threads would leave
 * every later one on the atomic path, and the ended threads (and through their context class
 * loader, maybe an uninstalled bundle) would stay reachable.
 *
 * <p>The limit is checked against the sum at the moment of the allocation. Threads allocating for
 * the same owner at the very same moment may each pass that check, so the owner can go over its
 * limit by at most one buffer per such thread.
 */
final class Account {

    static final int OWNED_STRIPES = 8;
    private static final int SHARED = OWNED_STRIPES;

    // Counters of one stripe, at these offsets in it.
    private static final int BYTES = 0;
    private static final int RELEASED = 1;
    private static final int ALLOCATED = 2; // + size class
    // Stripes are 48 longs apart (34 used), and the first starts 8 longs in, so that no two threads
    // write the same cache line nor one the array header sits on.
    private static final int STRIDE = 48;
    private static final int HEAD = 8;
    private static final int COUNTERS = ALLOCATED + SizeClass.COUNT;
    private static final int RETIRE_EVERY = 1024;

    private static final VarHandle COUNTER = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle OWNER = MethodHandles.arrayElementVarHandle(Thread[].class);
    private static final VarHandle PEAK;
    private static final VarHandle STRIPES_IN_USE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PEAK = lookup.findVarHandle(Account.class, "peak", long.class);
            STRIPES_IN_USE = lookup.findVarHandle(Account.class, "stripesInUse", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String bundle;
    private final long bundleId;
    private final long[] counters = new long[HEAD + (OWNED_STRIPES + 1) * STRIDE];
    /** Who writes each owned stripe; null while free. Only {@link #retireEnded} frees one. */
    private final Thread[] owners = new Thread[OWNED_STRIPES];
    /** Owned stripes claimed so far: readers skip the rest. Only grows, so a freed stripe stays in. */
    private volatile int stripesInUse;
    /** Counts shared-stripe visits (racy on purpose) to look for stripes of ended threads now and then. */
    private int sharedVisits;
    private volatile long limit;
    private volatile long peak;
    private final AtomicLong refusals = new AtomicLong();

    Account(String bundle, long bundleId, long limit) {
        this.bundle = bundle;
        this.bundleId = bundleId;
        this.limit = limit;
    }

    String bundle() {
        return bundle;
    }

    long bundleId() {
        return bundleId;
    }

    /** Applies to the next charge: buffers already held stay, even above a lowered limit. */
    void limit(long bytes) {
        limit = bytes;
    }

    /**
     * Charges a new buffer of {@code capacity} bytes.
     *
     * @throws MemoryLimitExceededException leaving every figure but the refusal count as it was
     */
    void charge(int capacity) {
        int stripe = stripe();
        long inUse = sum(BYTES);
        checkLimit(inUse, capacity);
        add(stripe, BYTES, capacity);
        add(stripe, ALLOCATED + SizeClass.of(capacity), 1);
        raisePeak(inUse + capacity);
    }

    /** Takes back a {@link #charge} whose buffer could not be allocated after all. */
    void uncharge(int capacity) {
        int stripe = stripe();
        add(stripe, BYTES, -capacity);
        add(stripe, ALLOCATED + SizeClass.of(capacity), -1);
    }

    /** Credits a buffer of {@code capacity} charged bytes whose reference count reached zero. */
    void credit(int capacity) {
        int stripe = stripe();
        add(stripe, BYTES, -capacity);
        add(stripe, RELEASED, 1);
    }

    /** Checks that a live buffer may grow by {@code bytes}; charges nothing. */
    void admitGrowth(long bytes) {
        checkLimit(sum(BYTES), bytes);
    }

    /** Charges a live buffer's change of capacity (negative when it shrank). */
    void recharge(int delta) {
        add(stripe(), BYTES, delta);
        if (delta > 0) {
            raisePeak(sum(BYTES));
        }
    }

    long bytesInUse() {
        return Math.max(0, sum(BYTES));
    }

    long liveBuffers() {
        // Released first: it never overtakes the allocations, so a racing reader cannot go below 0.
        long released = sum(RELEASED);
        long allocated = 0;
        for (int sizeClass = 0; sizeClass < SizeClass.COUNT; sizeClass++) {
            allocated += sum(ALLOCATED + sizeClass);
        }
        return Math.max(0, allocated - released);
    }

    PoolUsage usage() {
        retireEnded();
        long live = liveBuffers();
        Map<String, Long> bySizeClass = new LinkedHashMap<>();
        long allocations = 0;
        for (int sizeClass = 0; sizeClass < SizeClass.COUNT; sizeClass++) {
            long count = sum(ALLOCATED + sizeClass);
            if (count > 0) {
                bySizeClass.put(SizeClass.label(sizeClass), count);
                allocations += count;
            }
        }
        return new PoolUsage(bundle, bundleId, bytesInUse(), peak, live, allocations, refusals.get(), limit,
                Collections.unmodifiableMap(bySizeClass));
    }

    private void checkLimit(long inUse, long bytes) {
        long max = limit;
        if (max > 0 && inUse + bytes > max) {
            refusals.incrementAndGet();
            throw new MemoryLimitExceededException(bundle, bytes, Math.max(0, inUse), max);
        }
    }

    private void raisePeak(long inUse) {
        long seen = peak;
        while (inUse > seen) {
            if (PEAK.compareAndSet(this, seen, inUse)) {
                return;
            }
            seen = peak;
        }
    }

    /**
     * Frees the stripe of every thread that has ended, for the next thread to claim. The stripe
     * keeps its counts and its next owner carries on from them: a stripe is only one part of each
     * sum, so the sums do not move and nothing has to be moved under readers and writers.
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
        if (++sharedVisits % RETIRE_EVERY == 0 && retireEnded() > 0) {
            return stripe(); // claims a freed stripe, unless other threads were quicker
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
        // In use before claimed: should the claim fail, readers merely add one more stripe.
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

    private void add(int stripe, int counter, long delta) {
        int index = HEAD + stripe * STRIDE + counter;
        if (stripe == SHARED) {
            COUNTER.getAndAdd(counters, index, delta);
        } else {
            COUNTER.setOpaque(counters, index, counters[index] + delta);
        }
    }

    private long sum(int counter) {
        long total = (long) COUNTER.getOpaque(counters, HEAD + SHARED * STRIDE + counter);
        for (int stripe = 0, n = stripesInUse; stripe < n; stripe++) {
            total += (long) COUNTER.getOpaque(counters, HEAD + stripe * STRIDE + counter);
        }
        return total;
    }
}
