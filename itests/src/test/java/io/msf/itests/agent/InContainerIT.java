package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.PeerKind;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.itests.Await;
import io.msf.itests.tenant.HandlerTenant;
import io.msf.itests.tenant.TenantBundles;
import io.msf.mempool.api.MemoryPool;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.NetworkService;
import io.msf.protocol.api.ErrorCode;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * A bundle's handler service is reached from another bundle's in-container client by a method
 * call: the agent's socket endpoints see no byte of it, and both ends are listed as in-container
 * peers.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class InContainerIT extends AgentTestSupport {

    private static final String AGENT_BUNDLE = "io.msf.agent";

    @Test
    public void handlerOfAnotherBundleIsReachedWithoutASocket() throws Exception {
        Bundle tenant = installTenant(TenantBundles.HANDLER);
        tenant.start();
        PeerInfo before = awaitPeer(HandlerTenant.NAME);
        assertEquals("kind of " + before, PeerKind.HANDLER, before.kind());
        assertEquals("id of " + before, HandlerTenant.ID, before.id());
        assertTrue("origin names the bundle: " + before, before.origin().contains(TenantBundles.HANDLER));
        List<EndpointInfo> endpointsBefore = Await.value("the agent's endpoints, open and without connections",
                this::agentEndpoints, e -> !e.isEmpty() && e.stream().allMatch(i -> i.connections() == 0));

        AgentClient client = client();
        assertEquals(HandlerTenant.NAME + " got by name",
                textOf(client.request(Address.name(HandlerTenant.NAME), 1, utf8("by name"), PATIENT)));
        assertEquals(HandlerTenant.NAME + " got by id",
                textOf(await(client.requestAsync(Address.id(HandlerTenant.ID), 1, utf8("by id"), PATIENT))));

        assertEquals("bytes and frames of the agent's socket endpoints", traffic(endpointsBefore),
                traffic(agentEndpoints()));
        PeerInfo after = awaitPeer(HandlerTenant.NAME);
        assertEquals("requests the handler got: " + after, before.messagesIn() + 2, after.messagesIn());
        assertEquals("nothing queued for a method call: " + after, 0, after.queueDepth());
        PeerInfo self = awaitPeer("#" + Integer.toUnsignedString(client.id()));
        assertEquals("the test bundle's client: " + self, PeerKind.BUNDLE, self.kind());
        assertTrue("origin names the test bundle: " + self,
                self.origin().contains(context.getBundle().getSymbolicName()));

        tenant.stop();
        Await.until(HandlerTenant.NAME + " gone with its bundle", () -> peer(HandlerTenant.NAME).isEmpty());
        failure(ErrorCode.PEER_OFFLINE,
                () -> client.request(Address.name(HandlerTenant.NAME), 1, utf8("too late"), PATIENT));
    }

    @Test
    public void containerClientAllocatesFromTheBundlesOwnPool() {
        MemoryPool pool = service(MemoryPool.class);
        long live = pool.usage().liveBuffers();
        ByteBuf buffer = client().alloc().buffer(1000);
        try {
            assertEquals("buffers charged to the test bundle", live + 1, pool.usage().liveBuffers());
        } finally {
            buffer.release();
        }
        assertEquals("buffers charged after the release", live, pool.usage().liveBuffers());
    }

    private List<EndpointInfo> agentEndpoints() {
        return service(NetworkService.class).endpoints().stream().filter(e -> AGENT_BUNDLE.equals(e.owner()))
                .collect(Collectors.toList());
    }

    /** Name, bytes in and out and frames in of each endpoint. */
    private static String traffic(List<EndpointInfo> endpoints) {
        return endpoints.stream().map(e -> e.name() + " in=" + e.bytesIn() + " out=" + e.bytesOut() + " frames="
                + e.framesIn()).sorted().collect(Collectors.joining(", "));
    }
}
