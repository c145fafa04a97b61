package io.msf.mempool.internal;

import io.msf.concurrent.StripedCounters;
import io.msf.mempool.api.MemoryLimitExceededException;
import io.msf.mempool.api.MemoryPoolClosedException;
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
 * <p>So the counters are {@link StripedCounters}, as the timer's pending count is: up to
 * {@value StripedCounters#OWNED} threads each add to a stripe only they write, further threads
 * share one updated atomically. Readers add the stripes up. A buffer charged on one
 * thread and credited on another leaves the sums exact; a reader racing with writers reads the
 * stripes one after the other and may be off by the operations that ran meanwhile, never see a
 * corrupted figure. The stripes of threads that have ended are freed for later threads when the
 * figures are read (the monitor samples them; a leak report reads them too) and now and then by
 * threads left on the shared stripe (see {@link StripedCounters}), so that they do not stay
 * reachable.
 *
 * <p>The limit is checked against the sum at the moment of the allocation. Threads allocating for
 * the same owner at the very same moment may each pass that check, so the owner can go over its
 * limit by at most one buffer per such thread.
 */
final class Account {

    // The counters, by index.
    private static final int BYTES = 0;
    private static final int RELEASED = 1;
    private static final int ALLOCATED = 2; // + size class
    private static final int COUNTERS = ALLOCATED + SizeClass.COUNT;

    /**
     * The limit of a closed account: every charge exceeds it. The limit check on the hot path is then also
     * the check for a closed account, at no cost of its own (one volatile read, as before).
     */
    private static final long CLOSED = Long.MIN_VALUE;

    private static final VarHandle PEAK;

    static {
        try {
            PEAK = MethodHandles.lookup().findVarHandle(Account.class, "peak", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String bundle;
    private final long bundleId;
    private final StripedCounters counters = new StripedCounters(COUNTERS);
    private volatile long limit;
    private volatile long peak;
    private final AtomicLong refusals = new AtomicLong();
    /** Read only on the way to a refusal: closed because the service stopped, not the bundle. */
    private volatile boolean serviceStopped;

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
     * The bundle stopped: every later charge (an allocation, a copy, a buffer's growth) is refused with a
     * {@link MemoryPoolClosedException}. Its leftover threads, or a late read on a channel it owned, would
     * otherwise charge an account no figure shows, nor any leak report if the bundle held nothing at its stop.
     * Releases are still credited. The caller must not set a {@link #limit} after this.
     */
    void close() {
        limit = CLOSED;
    }

    /**
     * The memory pool service this account belongs to stopped (its bundle refreshed, updated or stopped) while
     * the bundle runs on: as {@link #close()}, but the refusal says so. The manager that replaces it opens
     * accounts of its own, and a charge here would show in none of its figures.
     */
    void closeWithService() {
        serviceStopped = true;
        limit = CLOSED;
    }

    /**
     * Charges a new buffer of {@code capacity} bytes.
     *
     * @return the bytes in use with it, for {@link #raisePeak} once the buffer is there: one the pool then
     *     fails to make ({@link #uncharge}) was never in use, and must not be the peak
     * @throws MemoryLimitExceededException leaving every figure but the refusal count as it was
     */
    long charge(int capacity) {
        int stripe = counters.stripe();
        long inUse = counters.sum(BYTES);
        checkLimit(inUse, capacity);
        counters.add(stripe, BYTES, capacity);
        counters.add(stripe, ALLOCATED + SizeClass.of(capacity), 1);
        return inUse + capacity;
    }

    /** Takes back a {@link #charge} whose buffer could not be allocated after all. */
    void uncharge(int capacity) {
        int stripe = counters.stripe();
        counters.add(stripe, BYTES, -capacity);
        counters.add(stripe, ALLOCATED + SizeClass.of(capacity), -1);
    }

    /** Credits a buffer of {@code capacity} charged bytes whose reference count reached zero. */
    void credit(int capacity) {
        int stripe = counters.stripe();
        counters.add(stripe, BYTES, -capacity);
        counters.add(stripe, RELEASED, 1);
    }

    /** Checks that a live buffer may grow by {@code bytes}; charges nothing. */
    void admitGrowth(long bytes) {
        checkLimit(counters.sum(BYTES), bytes);
    }

    /** Charges a live buffer's change of capacity (negative when it shrank). */
    void recharge(int delta) {
        counters.add(counters.stripe(), BYTES, delta);
        if (delta > 0) {
            raisePeak(counters.sum(BYTES));
        }
    }

    long bytesInUse() {
        return Math.max(0, counters.sum(BYTES));
    }

    long liveBuffers() {
        // Released first: it never overtakes the allocations, so a racing reader cannot go below 0.
        long released = counters.sum(RELEASED);
        long allocated = 0;
        for (int sizeClass = 0; sizeClass < SizeClass.COUNT; sizeClass++) {
            allocated += counters.sum(ALLOCATED + sizeClass);
        }
        return Math.max(0, allocated - released);
    }

    PoolUsage usage() {
        retireEnded();
        long live = liveBuffers();
        Map<String, Long> bySizeClass = new LinkedHashMap<>();
        long allocations = 0;
        for (int sizeClass = 0; sizeClass < SizeClass.COUNT; sizeClass++) {
            long count = counters.sum(ALLOCATED + sizeClass);
            if (count > 0) {
                bySizeClass.put(SizeClass.label(sizeClass), count);
                allocations += count;
            }
        }
        long max = limit;
        return new PoolUsage(bundle, bundleId, bytesInUse(), peak, live, allocations, refusals.get(), Math.max(0, max),
                Collections.unmodifiableMap(bySizeClass));
    }

    private void checkLimit(long inUse, long bytes) {
        long max = limit;
        if (max != 0 && inUse + bytes > max) {
            refusals.incrementAndGet();
            if (max == CLOSED) {
                throw closed();
            }
            throw new MemoryLimitExceededException(bundle, bytes, Math.max(0, inUse), max);
        }
    }

    /** The refusal of a charge to this account once closed. */
    MemoryPoolClosedException closed() {
        return serviceStopped ? serviceStopped(bundle, bundleId) : new MemoryPoolClosedException(bundle, bundleId);
    }

    /** The refusal of a charge, or of a new account, once the memory pool service that made it has stopped. */
    static MemoryPoolClosedException serviceStopped(String bundle, long bundleId) {
        return new MemoryPoolClosedException(bundle, bundleId, "the memory pool service that bundle " + bundle + " ["
                + bundleId + "] allocated through has stopped (the io.msf.mempool bundle was refreshed, updated or"
                + " stopped): get the MemoryPool service again");
    }

    /** Raises the peak to {@code inUse} if that is higher. */
    void raisePeak(long inUse) {
        long seen = peak;
        while (inUse > seen) {
            if (PEAK.compareAndSet(this, seen, inUse)) {
                return;
            }
            seen = peak;
        }
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
