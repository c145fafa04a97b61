package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.agent.api.Agent;
import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.PeerKind;
import io.msf.agent.api.TopicInfo;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.event.api.EventLoopService;
import io.msf.event.api.EventLoopStats;
import io.msf.itests.Await;
import io.msf.itests.tenant.HandlerTenant;
import io.msf.itests.tenant.TenantBundles;
import io.msf.mempool.api.MemoryPool;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.NetworkService;
import io.msf.protocol.api.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

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
        PeerInfo selfBefore = awaitPeer("#" + Integer.toUnsignedString(client.id()));
        assertEquals(HandlerTenant.NAME + " got by name",
                textOf(client.request(Address.name(HandlerTenant.NAME), 1, utf8("by name"), PATIENT)));
        assertEquals(HandlerTenant.NAME + " got by id",
                textOf(await(client.requestAsync(Address.id(HandlerTenant.ID), 1, utf8("by id"), PATIENT))));

        assertEquals("bytes and frames of the agent's socket endpoints", traffic(endpointsBefore),
                traffic(agentEndpoints()));
        PeerInfo after = awaitPeer(HandlerTenant.NAME);
        // Counted from the agent's side, as a connection's are: out what the handler was given, in its replies.
        int requestBytes = "by name".length() + "by id".length();
        int replyBytes = 2 * (HandlerTenant.NAME + " got ").length() + requestBytes;
        assertEquals("requests the handler was given: " + after, before.messagesOut() + 2, after.messagesOut());
        assertEquals("bytes of the requests given to the handler: " + after, before.bytesOut() + requestBytes,
                after.bytesOut());
        assertEquals("replies the handler made: " + after, before.messagesIn() + 2, after.messagesIn());
        assertEquals("bytes of the handler's replies: " + after, before.bytesIn() + replyBytes, after.bytesIn());
        assertEquals("nothing queued for a method call: " + after, 0, after.queueDepth());
        PeerInfo self = awaitPeer("#" + Integer.toUnsignedString(client.id()));
        assertEquals("the test bundle's client: " + self, PeerKind.BUNDLE, self.kind());
        assertEquals("requests the test bundle's client made: " + self, selfBefore.messagesIn() + 2,
                self.messagesIn());
        assertEquals("replies given to the test bundle's client: " + self, selfBefore.bytesOut() + replyBytes,
                self.bytesOut());
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

    /**
     * Each subscription's listener runs on one loop of msf.event's worker group. A swap of that group
     * restarts the agent, which holds its view: the bundles' clients end, and their subscriptions with
     * them, before the old group stops. So no listener runs on the old group and the new one at once (the
     * subscription never moves); the bundle subscribes again with the client it gets anew.
     */
    @Test
    public void aWorkerGroupSwapEndsTheSubscriptionsWithTheClientsBeforeTheOldGroupStops() throws Exception {
        AgentClient before = client();
        List<String> beforeGot = new CopyOnWriteArrayList<>();
        before.subscribe("itest.swap.>", message -> beforeGot.add(message.subject()));
        before.publish("itest.swap.first", 1, utf8("before the swap"));
        Await.until("the first subscription got the first publication", () -> beforeGot.size() == 1);
        EventExecutor oldLoop = service(EventLoopService.class).group(EventLoopService.WORKER_GROUP).next();
        Configuration configuration = service(ConfigurationAdmin.class).getConfiguration("msf.event", "?");
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = cores == 1 ? 2 : 1;
        try {
            configuration.update(new Hashtable<>(Map.of("workerThreads", workers)));
            Await.until("the replaced worker group stopped", oldLoop::isTerminated);

            AgentClient after = Await.value("the test bundle's new client", this::client, c -> c != before);
            List<String> afterGot = new CopyOnWriteArrayList<>();
            after.subscribe("itest.swap.>", message -> afterGot.add(message.subject()));
            after.publish("itest.swap.second", 1, utf8("after the swap"));
            Await.until("the new subscription got the second publication", () -> afterGot.size() == 1);
            assertEquals("what the first subscription got", List.of("itest.swap.first"), beforeGot);
            assertEquals("subscribers of itest.swap.>: the first ended with its client",
                    List.of("#" + Integer.toUnsignedString(after.id())), agentTopic("itest.swap.>").subscribers());
        } finally {
            configuration.delete();
        }
        Await.until("the worker group back to its default size", () -> workerThreads() == cores);
        Await.value("the agent's client again", this::client, c -> c != null);
    }

    private TopicInfo agentTopic(String pattern) {
        return service(Agent.class).topics().stream().filter(t -> t.pattern().equals(pattern))
                .findFirst().orElseThrow(() -> new AssertionError("no subscription to " + pattern));
    }

    private int workerThreads() {
        try {
            return service(EventLoopService.class).stats().stream()
                    .filter(s -> s.group().equals(EventLoopService.WORKER_GROUP)).mapToInt(EventLoopStats::threads)
                    .findFirst().orElse(-1);
        } catch (RuntimeException restarting) {
            return -1;
        }
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
