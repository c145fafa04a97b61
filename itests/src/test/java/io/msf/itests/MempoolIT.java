package io.msf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.msf.itests.tenant.AdminPoolTenant;
import io.msf.itests.tenant.PoolTenant;
import io.msf.itests.tenant.TenantBundles;
import io.msf.log.api.LogConsole;
import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.MemoryLimitExceededException;
import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.mempool.api.MemoryPoolClosedException;
import io.msf.mempool.api.PoolUsage;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.ConfigurationAdmin;

/** Buffers are charged to their owner, returned on release, and reported when a stopped owner kept them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MempoolIT extends MsfTestSupport {

    @Inject
    private MemoryPool pool;

    @Inject
    private MemoryPoolAdmin admin;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Test
    public void accountReturnsToZeroOnceEveryBufferIsReleased() {
        PoolUsage before = pool.usage();
        ByteBuf direct = pool.buffer(1000);
        ByteBuf heap = pool.heapBuffer(2000);
        ByteBuf viaAllocator = pool.allocator().buffer(3000);
        ByteBuf slice = direct.retainedSlice(0, 10);
        long capacities = direct.capacity() + heap.capacity() + viaAllocator.capacity();

        PoolUsage holding = pool.usage();
        assertEquals("live buffers (a slice shares its parent's charge)", before.liveBuffers() + 3,
                holding.liveBuffers());
        assertEquals("bytes in use", before.bytesInUse() + capacities, holding.bytesInUse());
        assertEquals("allocations", before.allocations() + 3, holding.allocations());
        assertEquals("the admin view agrees", holding.bytesInUse(), adminUsageOf(context.getBundle()).bytesInUse());

        direct.release();
        assertEquals("the slice still holds its parent", holding.bytesInUse(), pool.usage().bytesInUse());
        slice.release();
        heap.release();
        viaAllocator.release();

        PoolUsage after = pool.usage();
        assertEquals("bytes in use after release", before.bytesInUse(), after.bytesInUse());
        assertEquals("live buffers after release", before.liveBuffers(), after.liveBuffers());
        assertTrue("peak " + after.peakBytes(), after.peakBytes() >= capacities);
    }

    @Test
    public void aStoppedBundleThatKeptBuffersIsReportedByName() throws Exception {
        Bundle tenant = installTenant(TenantBundles.POOL);
        tenant.start();
        List<?> held = (List<?>) context.getService(evidence(tenant, PoolTenant.KIND));
        long bytes = (long) PoolTenant.BUFFERS * PoolTenant.BUFFER_BYTES;
        PoolUsage running = adminUsageOf(tenant);
        assertEquals("tenant live buffers", PoolTenant.BUFFERS, running.liveBuffers());
        assertEquals("tenant bytes in use", bytes, running.bytesInUse());
        assertEquals(TenantBundles.POOL, running.bundle());

        LeakReport leak = stopAndAwaitLeak(tenant, TenantBundles.POOL, PoolTenant.BUFFERS, bytes);
        assertEquals(PoolTenant.BUFFERS, leak.buffersNow());

        releaseAndAwaitNoneLeft(tenant, held);
    }

    @Test
    public void aStoppedBundleThatAllocatedOnlyThroughTheAdminIsReportedAndLeavesUsage() throws Exception {
        // As the network service and the agent's client allocate for a bundle: MemoryPoolAdmin.poolFor,
        // no MemoryPool service of the bundle's own whose end would tell that it stopped.
        Bundle tenant = installTenant(TenantBundles.ADMIN_POOL);
        tenant.start();
        List<?> held = (List<?>) context.getService(evidence(tenant, AdminPoolTenant.KIND));
        long bytes = (long) AdminPoolTenant.BUFFERS * AdminPoolTenant.BUFFER_BYTES;
        assertEquals("tenant bytes in use", bytes, adminUsageOf(tenant).bytesInUse());

        stopAndAwaitLeak(tenant, TenantBundles.ADMIN_POOL, AdminPoolTenant.BUFFERS, bytes);
        assertFalse("the stopped tenant's account is still in usage(): " + admin.usage(), hasAccount(tenant));

        releaseAndAwaitNoneLeft(tenant, held);
        assertFalse("releases reopened the stopped tenant's account", hasAccount(tenant));
    }

    /**
     * What a stopped bundle left running (a thread, a late read on a channel it owned) allocates through its
     * old pool: charged to the closed account, that showed in no figure.
     */
    @Test
    public void anAllocationThroughThePoolOfAStoppedBundleIsRefusedNamingIt() throws Exception {
        Bundle tenant = installTenant(TenantBundles.ADMIN_POOL);
        tenant.start();
        List<?> held = (List<?>) context.getService(evidence(tenant, AdminPoolTenant.KIND));
        MemoryPool leftBehind = admin.poolFor(tenant);

        stopAndAwaitLeak(tenant, TenantBundles.ADMIN_POOL, AdminPoolTenant.BUFFERS,
                (long) AdminPoolTenant.BUFFERS * AdminPoolTenant.BUFFER_BYTES);
        try {
            leftBehind.allocator().buffer(100).release();
            fail("allocated for the stopped tenant");
        } catch (MemoryPoolClosedException e) {
            assertEquals("bundle " + TenantBundles.ADMIN_POOL + " [" + tenant.getBundleId()
                    + "] has stopped: its memory pool is closed", e.getMessage());
        }

        releaseAndAwaitNoneLeft(tenant, held);
    }

    /** Stops the tenant and waits for its leak report: its name, and what it held when it stopped. */
    private LeakReport stopAndAwaitLeak(Bundle tenant, String name, int buffers, long bytes) throws Exception {
        tenant.stop();
        LeakReport leak = Await.value("leak report of " + name, () -> leakOf(tenant), Optional::isPresent).get();
        assertEquals(name, leak.bundle());
        assertEquals(buffers, leak.buffersAtStop());
        assertEquals(bytes, leak.bytesAtStop());
        return leak;
    }

    /** Whoever finally releases the leaked buffers, the report follows them down to zero. */
    private void releaseAndAwaitNoneLeft(Bundle tenant, List<?> held) {
        held.forEach(buffer -> ((ByteBuf) buffer).release());
        Await.value("leaked buffers still unreleased", () -> leakOf(tenant).get().buffersNow(), now -> now == 0);
    }

    @Test
    public void aConfiguredLimitRefusesTheAllocationThatWouldExceedIt() throws Exception {
        String self = context.getBundle().getSymbolicName();
        Configs configs = new Configs(configAdmin, watchedDir());
        configs.singleton("msf.mempool", "bundleLimits", self + "=64KiB");
        try {
            // The component may be replaced by the change: ask for the pool again.
            MemoryPool limited = Await.value("the 64 KiB limit in force", () -> service(MemoryPool.class),
                    p -> p.usage().limitBytes() == 64 * 1024);
            long refusalsBefore = limited.usage().refusals();
            ByteBuf within = limited.buffer(48 * 1024);
            try {
                limited.buffer(32 * 1024).release();
                fail("an allocation over the limit was granted");
            } catch (MemoryLimitExceededException expected) {
                assertEquals(self, expected.bundle());
                assertEquals(64 * 1024, expected.limit());
                assertEquals(within.capacity(), expected.inUse());
                assertTrue(expected.getMessage(), expected.getMessage().contains(self));
            } finally {
                within.release();
            }
            assertEquals("refusals", refusalsBefore + 1, limited.usage().refusals());
            limited.buffer(32 * 1024).release(); // fits again once the first is released
        } finally {
            configs.removeAll();
        }
    }

    /**
     * A leakReportsKept SCR cannot convert (set through Config Admin directly, past the config gate) is
     * refused with an ERROR line naming the key; the pool keeps the limits it had.
     */
    @Test
    public void aValueThatCannotBeReadAsANumberIsRefusedNamingTheKey() throws Exception {
        assertRefusedKeepingTheLimit("leakReportsKept", "all", "leakReportsKept: the value cannot be read as a number");
    }

    /**
     * A defaultLimit set to an empty list (through Config Admin directly, past the config gate), which
     * SCR hands over as no value at all, is refused with an ERROR line naming the key.
     */
    @Test
    public void aDefaultLimitWithoutAValueIsRefusedNamingTheKey() throws Exception {
        assertRefusedKeepingTheLimit("defaultLimit", new String[0], "defaultLimit: no value");
    }

    /**
     * Limits this bundle to 64 KiB, then sets 128 KiB with {@code key} = {@code bad}: the change
     * must be refused with an ERROR line saying {@code reason}, and the 64 KiB limit kept.
     */
    private void assertRefusedKeepingTheLimit(String key, Object bad, String reason) throws Exception {
        String self = context.getBundle().getSymbolicName();
        Configs configs = new Configs(configAdmin, watchedDir());
        configs.singleton("msf.mempool", "bundleLimits", self + "=64KiB");
        try {
            Await.value("the 64 KiB limit in force", () -> service(MemoryPool.class),
                    p -> p.usage().limitBytes() == 64 * 1024);

            configs.singleton("msf.mempool", "bundleLimits", self + "=128KiB", key, bad);

            LogConsole log = service(LogConsole.class);
            Await.until("an ERROR line saying " + reason, () -> log.tail(1000).stream()
                    .anyMatch(line -> "ERROR".equals(line.level()) && line.message().startsWith("msf.mempool")
                            && line.message().contains(reason)));
            assertEquals("the limit kept", 64 * 1024, service(MemoryPool.class).usage().limitBytes());
        } finally {
            configs.removeAll();
        }
    }

    private PoolUsage adminUsageOf(Bundle owner) {
        return admin.usage().stream().filter(u -> u.bundleId() == owner.getBundleId()).findFirst()
                .orElseThrow(() -> new AssertionError("no account for " + owner + " in " + admin.usage()));
    }

    private boolean hasAccount(Bundle owner) {
        return admin.usage().stream().anyMatch(u -> u.bundleId() == owner.getBundleId());
    }

    private Optional<LeakReport> leakOf(Bundle owner) {
        return admin.leaks().stream().filter(l -> l.bundleId() == owner.getBundleId()).findFirst();
    }
}
