package io.msf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.msf.itests.tenant.AdminPoolTenant;
import io.msf.itests.tenant.TenantBundles;
import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.mempool.api.MemoryPoolClosedException;
import io.msf.mempool.api.PoolUsage;
import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The mempool bundle stopped and started again under its users (as an update or a refresh does): the pools
 * the old service handed out are closed, so that what a thread still holding one allocates is refused,
 * naming the bundle, rather than charged to an account the new service does not show.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MempoolRestartIT extends MsfTestSupport {

    @Test
    public void thePoolsOfTheStoppedServiceRefuseAndTheNewServiceCharges() throws Exception {
        Bundle self = context.getBundle();
        MemoryPool kept = service(MemoryPoolAdmin.class).poolFor(self);
        ByteBuf held = kept.buffer(100);
        Bundle mempool = installedBundle("io.msf.mempool");

        mempool.stop();
        mempool.start();

        try {
            kept.buffer(100).release();
            fail("allocated through the pool of the stopped memory pool service");
        } catch (MemoryPoolClosedException e) {
            assertEquals("the memory pool service that bundle " + self.getSymbolicName() + " [" + self.getBundleId()
                    + "] allocated through has stopped (the io.msf.mempool bundle was refreshed, updated or stopped):"
                    + " get the MemoryPool service again", e.getMessage());
        }
        held.release(); // still credited to the old account, back to the shared allocator

        MemoryPool fresh = service(MemoryPool.class);
        ByteBuf charged = fresh.buffer(100);
        try {
            PoolUsage usage = fresh.usage();
            assertEquals("the new service's account of this bundle", 1, usage.liveBuffers());
            assertTrue("shown by the new admin: " + service(MemoryPoolAdmin.class).usage(),
                    service(MemoryPoolAdmin.class).usage().stream()
                            .anyMatch(u -> u.bundleId() == self.getBundleId() && u.liveBuffers() == 1));
        } finally {
            charged.release();
        }
    }

    /**
     * The leak reports are diagnostics of bundles that stopped before: a refresh or update of the mempool bundle
     * wiped them, with nothing in the logs of the new service to say they had been there.
     */
    @Test
    public void leakReportsFiledBeforeTheRestartAreStillReportedAfterIt() throws Exception {
        Bundle tenant = installTenant(TenantBundles.ADMIN_POOL);
        tenant.start();
        List<?> held = (List<?>) context.getService(evidence(tenant, AdminPoolTenant.KIND));
        tenant.stop(); // the report is filed before stop() returns
        LeakReport filed = service(MemoryPoolAdmin.class).leaks().stream()
                .filter(l -> l.bundleId() == tenant.getBundleId()).findFirst().orElseThrow();
        Bundle mempool = installedBundle("io.msf.mempool");

        mempool.stop();
        mempool.start();

        try {
            List<LeakReport> after = service(MemoryPoolAdmin.class).leaks();
            assertTrue("the report filed before the restart, in " + after, after.contains(filed));
            assertEquals(AdminPoolTenant.BUFFERS, filed.buffersNow());
        } finally {
            held.forEach(buffer -> ((ByteBuf) buffer).release());
        }
    }
}
