package io.msf.mempool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.concurrent.StripedCounters;
import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.MemoryLimitExceededException;
import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.MemoryPoolClosedException;
import io.msf.mempool.api.PoolUsage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.ref.WeakReference;
import java.nio.ReadOnlyBufferException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AccountsTest {

    private static final Instant STOPPED = Instant.parse("2025-01-01T10:00:00Z");

    private final Accounts accounts = new Accounts(new PooledByteBufAllocator(true));
    private final MemoryPool echo = accounts.poolFor(11, "io.msf.demo.echo");

    @Test
    void allocationsAreCountedBySizeClass() {
        for (int size : new int[] {1, 256, 257, 512, 4096, 4097, 1 << 20}) {
            echo.buffer(size).release();
        }
        assertThat(echo.usage().allocationsBySizeClass()).containsExactly(Map.entry("<=1B", 1L),
                Map.entry("<=256B", 1L), Map.entry("<=512B", 2L), Map.entry("<=4KiB", 1L), Map.entry("<=8KiB", 1L),
                Map.entry("<=1MiB", 1L));
        assertThat(echo.usage().allocations()).isEqualTo(7);
    }

    /** As MemoryPool documents them: refused naming the argument, and nothing charged nor counted. */
    @Test
    void badCapacitiesAreRefusedNamingTheArgumentAndChangeNoFigure() {
        PoolUsage before = echo.usage();

        assertThatThrownBy(() -> echo.buffer(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialCapacity").hasMessageContaining("-1");
        assertThatThrownBy(() -> echo.heapBuffer(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialCapacity");
        assertThatThrownBy(() -> echo.buffer(100, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialCapacity").hasMessageContaining("maxCapacity");
        assertThatThrownBy(() -> echo.buffer(10, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxCapacity");

        assertThat(echo.usage()).isEqualTo(before);
    }

    @Test
    void peakKeepsTheHighestUse() {
        ByteBuf a = echo.buffer(1000);
        ByteBuf b = echo.buffer(3000);
        a.release();
        b.release();
        ByteBuf c = echo.buffer(2000);

        assertThat(echo.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::peakBytes).containsExactly(2000L, 4000L);
        c.release();
    }

    /** The peak is what was in use: a buffer the pool could not give (direct memory ran out) never was. */
    @Test
    void anAllocationThePoolCannotMakeLeavesEveryFigureAsItWasThePeakToo() {
        Accounts failing = new Accounts(new PooledByteBufAllocator(true) {
            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                if (initialCapacity > 4096) {
                    throw new OutOfMemoryError("Cannot reserve " + initialCapacity + " bytes of direct buffer memory");
                }
                return super.newDirectBuffer(initialCapacity, maxCapacity);
            }
        });
        MemoryPool pool = failing.poolFor(12, "io.msf.demo.big");
        ByteBuf held = pool.buffer(1000);

        assertThatThrownBy(() -> pool.buffer(1 << 20)).isInstanceOf(OutOfMemoryError.class);

        assertThat(pool.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::peakBytes, PoolUsage::liveBuffers,
                PoolUsage::allocations).containsExactly(1000L, 1000L, 1L, 1L);
        held.release();
    }

    @Test
    void anAllocationOverTheLimitIsRefusedAndChangesNothingElse() {
        accounts.apply(settings(0, Map.of("io.msf.demo.echo", 4096L)));
        ByteBuf held = echo.buffer(3000);
        PoolUsage before = echo.usage();

        assertThatThrownBy(() -> echo.buffer(2000)).isInstanceOfSatisfying(MemoryLimitExceededException.class, e -> {
            assertThat(e.bundle()).isEqualTo("io.msf.demo.echo");
            assertThat(e.requested()).isEqualTo(2000);
            assertThat(e.inUse()).isEqualTo(3000);
            assertThat(e.limit()).isEqualTo(4096);
            assertThat(e).hasMessageContaining("io.msf.demo.echo").hasMessageContaining("4096");
        });

        assertThat(echo.usage()).isEqualTo(new PoolUsage(before.bundle(), before.bundleId(), 3000, 3000, 1, 1, 1,
                4096, before.allocationsBySizeClass()));
        assertThat(accounts.arenas().usedDirectMemory()).isPositive();
        held.release();
    }

    @Test
    void aRefusalUnderTheDefaultLimitPointsAtDefaultLimitNotOnlyAtBundleLimits() {
        accounts.apply(settings(1024, Map.of("io.msf.net", 1L << 20))); // the echo bundle is not named

        assertThatThrownBy(() -> echo.buffer(2000)).isInstanceOf(MemoryLimitExceededException.class)
                .hasMessageContaining("io.msf.demo.echo").hasMessageContaining("1024").hasMessageContaining("defaultLimit");
    }

    @Test
    void growthOverTheLimitIsRefusedAndLeavesTheBufferAsItWas() {
        accounts.apply(settings(1024, Map.of()));
        ByteBuf buf = echo.buffer(512).writeZero(500);

        assertThatThrownBy(() -> buf.writeZero(600)).isInstanceOf(MemoryLimitExceededException.class);
        assertThatThrownBy(() -> buf.capacity(2048)).isInstanceOf(MemoryLimitExceededException.class);

        assertThat(buf.capacity()).isEqualTo(512);
        assertThat(buf.writerIndex()).isEqualTo(500);
        assertThat(echo.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::refusals).containsExactly(512L, 2L);
        buf.writeZero(12);
        buf.release();
        assertThat(echo.usage().bytesInUse()).isZero();
    }

    /**
     * A capacity Netty refuses whatever the limit (above maxCapacity, of a read-only view or a slice) is refused
     * as Netty refuses it: not told as the limit's refusal, nor counted as one, when it is also above the limit.
     */
    @Test
    void aCapacityNettyRefusesIsRefusedAsNettyRefusesItNotCountedAgainstTheLimit() {
        accounts.apply(settings(1024, Map.of()));
        ByteBuf buf = echo.buffer(16, 32).writeZero(16);

        assertThatThrownBy(() -> buf.capacity(4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("newCapacity: 4096").hasMessageContaining("0-32");
        assertThatThrownBy(() -> buf.asReadOnly().capacity(4096)).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> buf.asReadOnly().ensureWritable(4096)).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(buf.asReadOnly().ensureWritable(4096, true)).isEqualTo(1);
        assertThatThrownBy(() -> buf.slice(0, 8).capacity(4096)).isInstanceOf(UnsupportedOperationException.class);

        assertThat(echo.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::refusals).containsExactly(16L, 0L);
        buf.release();
    }

    @Test
    void aLimitChangeAppliesToExistingAccountsAtOnce() {
        ByteBuf held = echo.buffer(8192);

        accounts.apply(settings(4096, Map.of()));
        assertThat(echo.usage().limitBytes()).isEqualTo(4096);
        assertThatThrownBy(() -> echo.buffer(1)).isInstanceOf(MemoryLimitExceededException.class);

        accounts.apply(settings(4096, Map.of("io.msf.demo.echo", 0L)));
        echo.buffer(1 << 20).release();
        assertThat(echo.usage().limitBytes()).isZero();

        assertThat(accounts.poolFor(12, "other").usage().limitBytes()).isEqualTo(4096);
        held.release();
    }

    @Test
    void oneAccountPerBundleAndUsageListsTheLargestFirst() {
        MemoryPool net = accounts.poolFor(12, "io.msf.net");
        ByteBuf small = echo.buffer(10);
        ByteBuf large = net.buffer(1000);

        assertThat(accounts.poolFor(11, "io.msf.demo.echo")).isSameAs(echo);
        assertThat(accounts.usage()).extracting(PoolUsage::bundle).containsExactly("io.msf.net", "io.msf.demo.echo");
        small.release();
        large.release();
    }

    @Test
    void aStoppedBundleHoldingBuffersIsReportedAndLaterReleasesShow() {
        ByteBuf first = echo.buffer(1000);
        ByteBuf second = echo.buffer(24);
        echo.buffer(5).release();

        LeakReport report = accounts.close(11, STOPPED).orElseThrow();

        assertThat(report).isEqualTo(new LeakReport("io.msf.demo.echo", 11, STOPPED, 2, 1024, 2));
        first.release();
        assertThat(accounts.leaks()).containsExactly(new LeakReport("io.msf.demo.echo", 11, STOPPED, 2, 1024, 1));
        assertThat(accounts.usage()).isEmpty();

        MemoryPool restarted = accounts.poolFor(11, "io.msf.demo.echo");
        assertThat(restarted).isNotSameAs(echo);
        assertThat(restarted.usage().allocations()).isZero();
        restarted.buffer(8).release();
        second.release();
        assertThat(accounts.leaks()).extracting(LeakReport::buffersNow).containsExactly(0L);
    }

    /** Up to 10000 reports are kept: each kept its closed account, some KB of counters, for good. */
    @Test
    void aLeakReportWhoseBuffersWereAllReleasedNoLongerKeepsTheAccount() throws InterruptedException {
        MemoryPool leaking = accounts.poolFor(12, "io.msf.demo.leaky");
        WeakReference<Account> account = new WeakReference<>(((AccountPool) leaking).account());
        List<ByteBuf> held = new ArrayList<>(List.of(leaking.buffer(100), leaking.buffer(200)));
        leaking = null;
        assertThat(accounts.close(12, STOPPED)).isPresent();

        held.forEach(ByteBuf::release);
        held.clear();
        assertThat(accounts.leaks()).extracting(LeakReport::buffersNow).containsExactly(0L);

        for (int i = 0; i < 50 && account.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(account.get()).as("the closed account").isNull();
        assertThat(accounts.leaks()).containsExactly(new LeakReport("io.msf.demo.leaky", 12, STOPPED, 2, 300, 0));
    }

    @Test
    void aLeakReportDoesNotKeepTheStoppedBundlesEndedThreadsReachable() throws InterruptedException {
        Account account = ((AccountPool) echo).account();
        List<ByteBuf> held = new ArrayList<>();
        Thread bundleThread = new Thread(() -> held.add(echo.buffer(100)));
        bundleThread.start();
        bundleThread.join();
        assertThat(account.freeStripes()).isEqualTo(StripedCounters.OWNED - 1);

        assertThat(accounts.close(11, STOPPED)).isPresent();

        assertThat(account.freeStripes()).isEqualTo(StripedCounters.OWNED);
        assertThat(accounts.leaks()).extracting(LeakReport::buffersNow).containsExactly(1L);
        held.forEach(ByteBuf::release);
        assertThat(accounts.leaks()).extracting(LeakReport::buffersNow).containsExactly(0L);
    }

    @Test
    void aStoppedBundleWithNothingHeldFilesNoReport() {
        echo.buffer(10).release();
        assertThat(accounts.close(11, STOPPED)).isEmpty();
        assertThat(accounts.close(99, STOPPED)).isEmpty();
        assertThat(accounts.leaks()).isEmpty();
    }

    @Test
    void aStoppedBundleWithNothingHeldLeavesUsage() {
        echo.buffer(10).release();

        accounts.close(11, STOPPED);

        assertThat(accounts.usage()).isEmpty();
    }

    /** A leftover thread of the stopped bundle, or a late read on a channel it owned, allocating through its pool. */
    @Test
    void anAllocationThroughTheAccountOfAStoppedBundleIsRefusedNamingIt() {
        ByteBufAllocator allocator = echo.allocator();
        echo.buffer(10).release();
        accounts.close(11, STOPPED);

        for (Runnable late : List.<Runnable>of(() -> echo.buffer(100), () -> echo.heapBuffer(100),
                () -> allocator.ioBuffer(2048))) {
            assertThatThrownBy(late::run).isInstanceOfSatisfying(MemoryPoolClosedException.class, e -> {
                assertThat(e).hasMessage("bundle io.msf.demo.echo [11] has stopped: its memory pool is closed");
                assertThat(e.bundleId()).isEqualTo(11);
            });
        }
        assertThat(echo.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers, PoolUsage::allocations,
                PoolUsage::refusals, PoolUsage::limitBytes).containsExactly(0L, 0L, 1L, 3L, 0L);
        assertThat(accounts.poolFor(11, "io.msf.demo.echo").buffer(8).release()).isTrue();
    }

    /** What the stopped bundle still holds is released as before, but neither copied nor grown on its account. */
    @Test
    void aLeakedBufferIsCreditedWhenReleasedButNotCopiedNorGrown() {
        accounts.apply(settings(1 << 20, Map.of()));
        ByteBuf held = echo.buffer(16, 1 << 16).writeLong(7);
        accounts.close(11, STOPPED);
        accounts.apply(settings(0, Map.of())); // a closed account takes no limit, so stays closed

        assertThatThrownBy(held::copy).isInstanceOf(MemoryPoolClosedException.class);
        assertThatThrownBy(() -> held.writeBytes(new byte[4096])).isInstanceOf(MemoryPoolClosedException.class);
        assertThat(held.capacity()).isEqualTo(16);
        assertThat(held.readLong()).isEqualTo(7);

        held.release();
        assertThat(accounts.leaks()).extracting(LeakReport::buffersNow).containsExactly(0L);
    }

    @Test
    void anAccountWhoseBundleRunsAgainStaysOpen() {
        ByteBuf held = echo.buffer(100);

        assertThat(accounts.close(11, STOPPED, () -> false)).isEmpty();

        assertThat(accounts.leaks()).isEmpty();
        assertThat(accounts.usage()).extracting(PoolUsage::bundleId, PoolUsage::liveBuffers).containsExactly(
                org.assertj.core.groups.Tuple.tuple(11L, 1L));
        assertThat(accounts.poolFor(11, "io.msf.demo.echo")).isSameAs(echo);
        held.release();
    }

    @Test
    void noAccountIsHandedOutWhileItsBundleIsAskedWhetherItEnded() throws Exception {
        ByteBuf held = echo.buffer(100);
        AtomicReference<MemoryPool> askedMeanwhile = new AtomicReference<>();
        Thread restarted = new Thread(() -> askedMeanwhile.set(accounts.poolFor(11, "io.msf.demo.echo")));

        accounts.close(11, STOPPED, () -> {
            // The bundle starts again on another thread while the stop is being handled: its
            // services ask for its account, and must wait until it is closed or kept.
            restarted.start();
            try {
                restarted.join(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(restarted.isAlive()).as("poolFor waits for close").isTrue();
            return true;
        });
        restarted.join(10_000);

        assertThat(askedMeanwhile.get()).isNotNull().isNotSameAs(echo);
        assertThat(accounts.leaks()).extracting(LeakReport::buffersAtStop).containsExactly(1L);
        held.release();
    }

    @Test
    void onlyTheNewestReportsAreKept() {
        accounts.apply(new PoolSettings(Limits.NONE, 2));
        for (long id = 20; id < 25; id++) {
            accounts.poolFor(id, "leaky." + id).buffer(1);
            accounts.close(id, STOPPED.plusSeconds(id));
        }
        assertThat(accounts.leaks()).extracting(LeakReport::bundle).containsExactly("leaky.24", "leaky.23");

        accounts.apply(new PoolSettings(Limits.NONE, 1));
        assertThat(accounts.leaks()).extracting(LeakReport::bundle).containsExactly("leaky.24");
    }

    private static PoolSettings settings(long defaultLimit, Map<String, Long> byBundle) {
        return new PoolSettings(new Limits(defaultLimit, byBundle), 100);
    }
}
