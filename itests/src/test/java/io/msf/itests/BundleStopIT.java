package io.msf.itests;

import static io.msf.itests.EchoEndpoints.awaitRefused;
import static io.msf.itests.EchoEndpoints.loopback;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.itests.tenant.LoopTenant;
import io.msf.itests.tenant.NetTenant;
import io.msf.itests.tenant.PoolTenant;
import io.msf.itests.tenant.Tenant;
import io.msf.itests.tenant.TenantBundles;
import io.msf.itests.tenant.TimerTenant;
import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.net.api.NetworkService;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerService;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/** Stopping a bundle frees everything it took from the core services. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleStopIT extends MsfTestSupport {

    @Inject
    private NetworkService net;

    @Inject
    private TimerService timers;

    @Inject
    private MemoryPoolAdmin pool;

    @Test
    public void stoppingABundleFreesItsEndpointTimersTasksAndReportsItsBuffers() throws Exception {
        Bundle tenant = installTenant(TenantBundles.WHOLE);
        tenant.start();
        int port = (int) evidence(tenant, NetTenant.KIND).getProperty(Tenant.PORT);
        List<?> timeouts = (List<?>) context.getService(evidence(tenant, TimerTenant.KIND));
        List<?> tasks = (List<?>) context.getService(evidence(tenant, LoopTenant.KIND));
        EchoEndpoints.awaitEcho(loopback(port));
        assertEquals("tenant endpoints while it runs", 1, endpointsOf(tenant));
        assertEquals("tenant timers while it runs", TimerTenant.TIMERS, timersOf(tenant));

        tenant.stop();

        awaitRefused(loopback(port));
        Await.value("endpoints of the stopped tenant", () -> endpointsOf(tenant), n -> n == 0);
        Await.value("pending timers of the stopped tenant", () -> timersOf(tenant), n -> n == 0);
        for (Object timeout : timeouts) {
            assertTrue("tenant timer cancelled", ((Timeout) timeout).isCancelled());
        }
        for (Object task : tasks) {
            assertTrue("tenant loop task cancelled", ((Future<?>) task).isCancelled());
        }
        LeakReport leak = Await.value("leak report of the stopped tenant", () -> leakOf(tenant), Optional::isPresent)
                .get();
        assertEquals(TenantBundles.WHOLE, leak.bundle());
        // The endpoint's own buffers were charged to the tenant too and must have been released.
        assertEquals("buffers the tenant kept", PoolTenant.BUFFERS, leak.buffersAtStop());
    }

    private long endpointsOf(Bundle owner) {
        return net.endpoints().stream().filter(e -> e.owner().equals(owner.getSymbolicName())).count();
    }

    private long timersOf(Bundle owner) {
        return timers.pending().stream().filter(t -> t.owner().equals(owner.getSymbolicName())).count();
    }

    private Optional<LeakReport> leakOf(Bundle owner) {
        return pool.leaks().stream().filter(l -> l.bundleId() == owner.getBundleId()).findFirst();
    }
}
