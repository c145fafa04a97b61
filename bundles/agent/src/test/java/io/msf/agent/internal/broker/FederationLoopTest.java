package io.msf.agent.internal.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.PeerKind;
import io.msf.agent.internal.uplink.Uplink;
import io.msf.agent.internal.uplink.UplinkSettings;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

/**
 * An agent whose way up leads back to itself: its own socket under another path, its own TCP
 * port, or a cycle of two agents. The uplink is refused with an ERROR, and nothing storms.
 */
class FederationLoopTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private AgentServer agent() throws Exception {
        return closing(new AgentServer(AgentServer.quiet()));
    }

    private LocalClient client(AgentServer agent) {
        LocalClient client = agent.broker.openClient("bundle app 1.0.0", UnpooledByteBufAllocator.DEFAULT);
        toClose.add(client::close);
        return client;
    }

    private Uplink uplink(AgentServer child, UplinkSettings parent, Logger log) {
        return closing(new Uplink(parent, child.broker, log));
    }

    private static String origin(AgentServer agent) {
        return agent.broker.peers().stream().filter(p -> p.kind() == PeerKind.UPLINK).map(PeerInfo::origin)
                .findFirst().orElse("");
    }

    /** Published once, each subscriber gets it once: nothing goes round. */
    @SafeVarargs
    private static void assertPublishedOnce(LocalClient publisher, Queue<String>... subscribers) {
        publisher.publish("news.once", 1, Unpooled.copiedBuffer("x", UTF_8));
        publisher.publish("news.end", 1, Unpooled.copiedBuffer("y", UTF_8));
        for (Queue<String> subscriber : subscribers) {
            await().atMost(TEN_SECONDS).until(() -> subscriber.contains("news.end"));
            assertThat(subscriber).containsExactly("news.once", "news.end");
        }
    }

    /** No uplink name of its own is left in the agent: the egress has gone and is not tried again. */
    private static void assertNoUplinkNameLeft(AgentServer agent) {
        await().atMost(TEN_SECONDS).until(() -> agent.broker.peers().stream()
                .noneMatch(p -> p.name().startsWith("msf.uplink.")));
    }

    private void assertRefused(AgentServer agent, Logger log) {
        verify(log, timeout(10_000)).error(contains("fix the key parent of msf.agent"), contains("leads back"));
        assertThat(origin(agent)).startsWith("REFUSED");
        LocalClient client = client(agent);
        assertThatThrownBy(() -> client.request(Address.name("nobody"), 1, Unpooled.EMPTY_BUFFER, TEN_SECONDS))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE));
    }

    @Test
    void anAgentJoiningItsOwnSocketByAnotherPathRefusesTheParent() throws Exception {
        AgentServer agent = agent();
        Path link = Files.createSymbolicLink(dir.resolve("parent.sock"),
                ((UnixDomainSocketAddress) agent.udsAddress()).getPath());
        Logger log = mock(Logger.class);
        LocalClient client = client(agent);
        Queue<String> got = new ConcurrentLinkedQueue<>();
        client.subscribe("news.>", m -> got.add(m.subject()));

        uplink(agent, UplinkSettings.of(link.toString(), null, "", null), log);

        assertRefused(agent, log);
        assertNoUplinkNameLeft(agent);
        assertPublishedOnce(client, got);
    }

    @Test
    void anAgentJoiningItsOwnTcpPortRefusesTheParent() throws Exception {
        AgentServer agent = agent();
        int port = ((InetSocketAddress) agent.tcpAddress()).getPort();
        Logger log = mock(Logger.class);

        uplink(agent, UplinkSettings.of("tcp://127.0.0.1:" + port, null, "", null), log);

        assertRefused(agent, log);
        assertNoUplinkNameLeft(agent);
    }

    @Test
    void twoAgentsThatAreEachOthersParentEndTheCycle() throws Exception {
        AgentServer a = agent();
        AgentServer b = agent();
        Logger logA = mock(Logger.class);
        Logger logB = mock(Logger.class);
        LocalClient clientA = client(a);
        LocalClient clientB = client(b);
        Queue<String> atA = new ConcurrentLinkedQueue<>();
        Queue<String> atB = new ConcurrentLinkedQueue<>();
        clientA.subscribe("news.>", m -> atA.add(m.subject()));
        clientB.subscribe("news.>", m -> atB.add(m.subject()));

        uplink(a, new UplinkSettings(b.udsAddress(), "unix b", ""), logA);
        uplink(b, new UplinkSettings(a.udsAddress(), "unix a", ""), logB);

        await().atMost(TEN_SECONDS).until(() -> origin(a).startsWith("REFUSED") || origin(b).startsWith("REFUSED"));
        AgentServer refusing = origin(a).startsWith("REFUSED") ? a : b;
        assertRefused(refusing, refusing == a ? logA : logB);
        // The other one may have seen the cycle too, or stay joined: either way the cycle is broken.
        AgentServer other = refusing == a ? b : a;
        String state = await().atMost(TEN_SECONDS).until(() -> origin(other).split(" ")[0],
                s -> s.equals("CONNECTED") || s.equals("REFUSED:"));
        await().during(Duration.ofMillis(500)).atMost(TEN_SECONDS).until(() -> origin(other).startsWith(state));
        if (state.equals("CONNECTED")) {
            assertPublishedOnce(clientA, atA, atB);
        } else {
            assertPublishedOnce(clientA, atA);
        }
    }

    @Test
    void aRequestGoingRoundIsAnsweredTimeoutWhenItsTimeIsUsedUp() throws Exception {
        AgentServer agent = agent();
        LocalClient requester = client(agent);
        LocalClient again = client(agent);
        AtomicInteger hops = new AtomicInteger();
        // A parent that sends everything straight back into this broker, as a loop of agents would.
        ParentLink backHere = new ParentLink() {
            @Override
            public boolean connected() {
                return true;
            }

            @Override
            public CompletionStage<Message> request(Message request, int timeoutMillis) {
                hops.incrementAndGet();
                return again.requestAsync(Address.name(request.subject()), request.command(), request.payload(),
                        Duration.ofMillis(timeoutMillis));
            }

            @Override
            public CompletionStage<Void> notify(Message notification) {
                notification.release();
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void publish(Message publication) {
                publication.release();
            }

            @Override
            public void claimsChanged() {
            }

            @Override
            public void patternsChanged() {
            }

            @Override
            public String describe() {
                return "back here";
            }
        };
        UplinkPeer peer = agent.broker.uplinks().attach(backHere);
        toClose.add(0, () -> agent.broker.uplinks().detach(peer));

        assertThatThrownBy(() -> requester.request(Address.name("nobody"), 1, Unpooled.EMPTY_BUFFER,
                Duration.ofMillis(100))).isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
        // Each hop loses at least a millisecond (without that, it would go round until the stack overflows).
        assertThat(hops.get()).isBetween(1, 100);
    }
}
