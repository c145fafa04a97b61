package io.msf.mempool.internal;

import io.msf.mempool.api.ArenaStats;
import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.PoolUsage;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Every owner's account over one shared pooled allocator, the limits in force and the leak reports
 * of owners that stopped. Free of OSGi types so that it can be measured and tested alone; public
 * only for the JMH benchmark in {@code bench/}, which runs outside OSGi (the package is private to
 * the bundle).
 */
public final class Accounts {

    private final PooledByteBufAllocator pool;
    /** Open accounts by bundle id: changed under this lock, read by usage() without it. */
    private final Map<Long, AccountPool> pools = new ConcurrentHashMap<>();
    /**
     * Newest first; guarded by this. A report filed here reads its live count when asked; one carried over
     * from the instance before ({@link #carryOver}) tells the count of when that instance stopped.
     */
    private final Deque<Supplier<LeakReport>> leaks = new ArrayDeque<>();
    /** Guarded by this: set once the service stopped ({@link #closeAll}), after which no account is opened. */
    private boolean closed;
    /** Guarded by this, so that an account never starts with limits older than the newest applied. */
    private PoolSettings settings = PoolSettings.DEFAULTS;

    public Accounts(PooledByteBufAllocator pool) {
        this.pool = pool;
    }

    /**
     * The pool charging bundle {@code bundleId}: one account per bundle, however often asked, until
     * the account is closed; asked after that, a new one.
     *
     * <p>Under the lock even when the account exists (asked once per service a bundle gets, not per
     * buffer): {@link #close(long, Instant, BooleanSupplier)} asks whether the bundle ended and
     * removes its account in one step, so a bundle starting again gets either its old account before
     * that step, and then the step sees it running and keeps the account, or a new one after it;
     * never an account that is closed under it.
     */
    public synchronized MemoryPool poolFor(long bundleId, String symbolicName) {
        if (closed) {
            throw Account.serviceStopped(symbolicName, bundleId);
        }
        return pools.computeIfAbsent(bundleId, id -> new AccountPool(new ChargingAllocator(pool,
                new Account(symbolicName, id, settings.limits().limitFor(symbolicName)))));
    }

    /** The settings in force: the defaults until others are applied. */
    synchronized PoolSettings settings() {
        return settings;
    }

    /** Applies new settings, the limits to existing accounts at once. */
    synchronized void apply(PoolSettings newSettings) {
        settings = newSettings;
        for (AccountPool open : pools.values()) {
            Account account = open.account();
            account.limit(newSettings.limits().limitFor(account.bundle()));
        }
        trimLeaks();
    }

    /**
     * Closes the account of a bundle that stopped: what is still allocated through it is refused. If it still
     * holds buffers, files a leak report:
     * the buffers stay charged to the closed account, so later releases show in the report, while
     * the bundle starts afresh if it runs again.
     *
     * @return the report, if one was filed
     */
    Optional<LeakReport> close(long bundleId, Instant stoppedAt) {
        return close(bundleId, stoppedAt, () -> true);
    }

    /**
     * Closes the account of a bundle that stopped, as {@link #close(long, Instant)}, if {@code ended}
     * still says so once no account can be handed out (see {@link #poolFor}): {@code false} when
     * the bundle runs again, and the account is its own again.
     */
    synchronized Optional<LeakReport> close(long bundleId, Instant stoppedAt, BooleanSupplier ended) {
        if (!pools.containsKey(bundleId) || !ended.getAsBoolean()) {
            return Optional.empty();
        }
        AccountPool closed = pools.remove(bundleId);
        Account account = closed.account();
        account.close(); // under the lock, as apply(): no limit is set on it after this
        long buffers = account.liveBuffers();
        if (buffers == 0) {
            return Optional.empty();
        }
        Leak leak = new Leak(account, stoppedAt, buffers, account.bytesInUse());
        leaks.addFirst(leak);
        trimLeaks();
        return Optional.of(leak.get());
    }

    /**
     * The memory pool service stopped (its bundle refreshed, updated or stopped): every account is closed, so
     * that what a thread still holding one of its pools allocates is refused rather than charged to an account
     * the service that replaces this one does not show. No leak is reported: the bundles did not stop. Their
     * buffers are still credited when released, and go back to the shared allocator.
     *
     * @return the figures of the accounts that still hold buffers
     */
    synchronized List<PoolUsage> closeAll() {
        closed = true;
        List<PoolUsage> holding = new ArrayList<>();
        for (AccountPool open : pools.values()) {
            open.account().closeWithService();
            PoolUsage usage = open.usage();
            if (usage.liveBuffers() > 0) {
                holding.add(usage);
            }
        }
        pools.clear();
        return holding;
    }

    /**
     * Takes in the reports of the instance this one replaces (the service restarted), newest first: older than
     * any filed here, so after them, and trimmed to the reports kept as any.
     */
    synchronized void carryOver(List<LeakReport> earlier) {
        for (LeakReport report : earlier) {
            leaks.addLast(() -> report);
        }
        trimLeaks();
    }

    private void trimLeaks() {
        while (leaks.size() > settings.leakReportsKept()) {
            leaks.removeLast();
        }
    }

    List<PoolUsage> usage() {
        List<PoolUsage> usage = new ArrayList<>();
        for (AccountPool open : pools.values()) {
            usage.add(open.usage());
        }
        usage.sort(Comparator.comparingLong(PoolUsage::bytesInUse).reversed().thenComparing(PoolUsage::bundle));
        return usage;
    }

    synchronized List<LeakReport> leaks() {
        return leaks.stream().map(Supplier::get).toList();
    }

    ArenaStats arenas() {
        PooledByteBufAllocatorMetric metric = pool.metric();
        return new ArenaStats(metric.usedDirectMemory(), metric.usedHeapMemory(), metric.numDirectArenas(),
                metric.numHeapArenas(), metric.chunkSize());
    }

    /**
     * A filed report; what is still unreleased is read from the closed account when asked, until nothing is:
     * then the report alone is kept, not the account (its counters take some KB, and up to 10000 reports are
     * kept). While a buffer is unreleased, that buffer keeps the account reachable anyway. Guarded by the
     * lock of the {@link Accounts} that filed it.
     */
    private static final class Leak implements Supplier<LeakReport> {

        private Account account;
        private LeakReport drained;
        private final Instant stoppedAt;
        private final long buffersAtStop;
        private final long bytesAtStop;

        Leak(Account account, Instant stoppedAt, long buffersAtStop, long bytesAtStop) {
            this.account = account;
            this.stoppedAt = stoppedAt;
            this.buffersAtStop = buffersAtStop;
            this.bytesAtStop = bytesAtStop;
        }

        @Override
        public LeakReport get() {
            if (drained != null) {
                return drained;
            }
            account.retireEnded(); // the report keeps the account: not the bundle's ended threads
            // The account is closed: its count of live buffers only goes down, and a reading of 0 is final.
            long now = Math.min(buffersAtStop, account.liveBuffers());
            LeakReport report = new LeakReport(account.bundle(), account.bundleId(), stoppedAt, buffersAtStop,
                    bytesAtStop, now);
            if (now == 0) {
                drained = report;
                account = null;
            }
            return report;
        }
    }
}
