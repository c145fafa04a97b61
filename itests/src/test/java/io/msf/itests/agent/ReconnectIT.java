package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.msf.agent.api.PeerInfo;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.itests.Await;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A socket client whose connection the agent drops (its bundle restarts, or its TCP listener reopens
 * after a change of a key it is opened from, such as tcpHost) reconnects by itself and registers
 * again: its id and name are reachable and its subscriptions in force as before. An id the agent
 * assigned is not claimed again: the client gets a new one.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ReconnectIT extends AgentTestSupport {

    @Inject
    private ConfigurationAdmin configAdmin;

    private final AgentConfig agentConfig = new AgentConfig(() -> configAdmin);

    @After
    public void restoreAgentConfig() throws IOException {
        agentConfig.restore();
    }

    @Test
    public void clientOnTheSocketFileComesBackAfterTheAgentBundleRestarts() throws Exception {
        Bundle agentBundle = installedBundle("io.msf.agent");
        Phoenix phoenix = new Phoenix(overSocketFile(), 4501, "itest.phoenix.file");
        phoenix.assertComesBack(agentBundle::stop, agentBundle::start);
    }

    @Test
    public void clientOnTcpComesBackEachTimeTheAgentsTcpListenerReopens() throws Exception {
        Phoenix phoenix = new Phoenix(overTcp(), 4502, "itest.phoenix.tcp");
        // tcpHost is a key the TCP listener is opened from: the agent closes that listener with its
        // connections and opens it again (localhost is the same loopback address), while the Unix
        // socket listener, the broker and its in-container peers stay; a new maxConnections or
        // maxFrameBytes would reopen nothing
        phoenix.assertComesBack(() -> agentConfig.set("tcpHost", "localhost"), () -> { });
        phoenix.assertComesBack(agentConfig::restore, () -> { });
    }

    /**
     * The agent refuses claims in the range it assigns from (docs/protocol.md section 6): a client
     * that offered its old assigned id again was refused once, DUPLICATE_ID, at every reconnect.
     */
    @Test
    public void clientWithAnAssignedIdRegistersForANewOneWithoutBeingRefused() throws Exception {
        String name = "itest.anonymous";
        ConnectedClient client = connect(overTcp().name(name).handler(replying(name + ": ")));
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        client.onStateChange(states::add);
        int assigned = client.id();
        long refused = agent().totals().refused();

        agentConfig.set("tcpHost", "localhost");
        Await.value(name + " states after the TCP listener reopened", () -> states,
                seen -> seen.contains(ConnectionState.RECONNECTING));

        assertTrue(name + " connected again", client.awaitConnected(Duration.ofMillis(Await.TIMEOUT_MILLIS)));
        assertNotEquals("a new id", assigned, client.id());
        assertEquals("HELLOs the agent refused", refused, agent().totals().refused());
        assertEquals(name + ": by its new id", textOf(client().request(Address.id(client.id()), 1, utf8("by its new id"),
                PATIENT)));

        // the TCP listener back as the next test expects it, reopened before that test connects: put
        // back after this test, it reopened while the next one's client connected, which then lost it
        states.clear();
        agentConfig.restore();
        Await.value(name + " states after the TCP listener reopened again", () -> states,
                seen -> seen.contains(ConnectionState.RECONNECTING));
        assertTrue(name + " connected again", client.awaitConnected(Duration.ofMillis(Await.TIMEOUT_MILLIS)));
    }

    /**
     * A request in flight when the agent restarts, its handler (another socket client) still at work:
     * the requester hears PEER_OFFLINE at once, not at its timeout; the answer the handler then gives
     * on the lost connection goes nowhere; both come back and the same request is answered.
     */
    @Test
    public void aRequestInFlightWhenTheAgentRestartsFailsAtOnceAndBothEndsServeAgain() throws Exception {
        Bundle agentBundle = installedBundle("io.msf.agent");
        String name = "itest.slow";
        CountDownLatch handling = new CountDownLatch(1);
        CompletableFuture<ByteBuf> heldAnswer = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        ConnectedClient handlerSide = connect(overSocketFile().name(name).handler(request -> {
            if (calls.incrementAndGet() > 1) {
                return CompletableFuture.completedFuture(utf8(name + " answers " + text(request.payload())));
            }
            handling.countDown();
            return heldAnswer;
        }));
        ConnectedClient caller = connect(overSocketFile().name("itest.caller"));
        CompletionStage<Message> inFlight = caller.requestAsync(Address.name(name), 1, utf8("held"), PATIENT);
        assertTrue("the handler has the request", handling.await(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));

        agentBundle.stop();
        try {
            // from the agent, if it saw the handler's connection end first ("... left with the request
            // outstanding"), else from the client, whose own connection ended ("... was lost")
            AgentException lost = awaitFailure(ErrorCode.PEER_OFFLINE, inFlight);
            assertTrue(lost.getMessage(), lost.getMessage().startsWith("PEER_OFFLINE: request to " + name + ", command 1: "));
            heldAnswer.complete(utf8("too late")); // on the connection that is gone
        } finally {
            agentBundle.start();
        }

        assertTrue(name + " connected again", handlerSide.awaitConnected(Duration.ofMillis(Await.TIMEOUT_MILLIS)));
        assertTrue("the caller connected again", caller.awaitConnected(Duration.ofMillis(Await.TIMEOUT_MILLIS)));
        assertEquals(name + " answers again", textOf(caller.request(Address.name(name), 1, utf8("again"), PATIENT)));
    }

    /** Something a test does to the agent. */
    private interface Action {
        void run() throws Exception;
    }

    /** A socket client with a name, an id, a handler and a subscription. */
    private final class Phoenix {
        private final String name;
        private final int id;
        private final ConnectedClient client;
        private final List<ConnectionState> states = new CopyOnWriteArrayList<>();
        private final BlockingQueue<String> publications = new LinkedBlockingQueue<>();

        Phoenix(ClientOptions.Builder options, int id, String name) {
            this.name = name;
            this.id = id;
            this.client = connect(options.id(id).name(name).handler(replying(name + ": ")));
            client.onStateChange(states::add);
            client.subscribe("itest.rebirth.>", message -> publications.add(message.subject()));
        }

        /** Drops the connection, waits until the client noticed, recovers, and checks all is back. */
        void assertComesBack(Action drop, Action recover) throws Exception {
            assertEquals(name + ": before", textOf(client().request(Address.name(name), 1, utf8("before"), PATIENT)));
            String sessionBefore = session();
            states.clear();

            drop.run();
            Await.value(name + " states after its connection was dropped", () -> states,
                    seen -> seen.contains(ConnectionState.RECONNECTING));
            recover.run();

            assertTrue(name + " connected again", client.awaitConnected(Duration.ofMillis(Await.TIMEOUT_MILLIS)));
            Await.value(name + " reachable by name again", () -> textOf(
                    client().request(Address.name(name), 1, utf8("after"), PATIENT)), (name + ": after")::equals);
            assertEquals(name + ": by id", textOf(client().request(Address.id(id), 1, utf8("by id"), PATIENT)));
            assertNotEquals("registered anew", sessionBefore, session());
            publications.clear();
            Await.until("subscription of " + name + " restored", () -> {
                client().publish("itest.rebirth.again", 1, utf8(""));
                return poll(publications) != null;
            });
        }

        /** How and since when the agent knows the peer: different for each of its connections. */
        private String session() {
            PeerInfo info = awaitPeer(name);
            return info.kind() + " since " + info.since();
        }
    }

    private static String poll(BlockingQueue<String> queue) {
        try {
            return queue.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
