package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import io.netty.channel.socket.DuplexChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that shuts down its output and then reads nothing, on an agent endpoint opened by the network
 * service: the agent's closing write never completes, and without heartbeats nothing else would end the
 * connection. The network service's stall check (here 300 ms) does, and the peer leaves.
 */
class HalfClosedNonReaderTest {

    private static final long STALL_MILLIS = 300;

    @TempDir
    Path dataDir;
    private NetworkAgent agent;

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void aPeerThatShutsDownItsOutputAndNeverReadsIsClosedAndLeaves() throws Exception {
        agent = new NetworkAgent(dataDir, STALL_MILLIS);
        Endpoint endpoint = agent.open(EndpointSpec.tcpServer("agent-tcp", 0));
        TestPeer responder = agent.connect(endpoint.localAddress()).register(0, "big");
        TestPeer requester = agent.connect(endpoint.localAddress()).register(0, "asker");
        QueuedReplies.queue(responder, requester, () -> agent.outstandingOf(requester.id));

        ((DuplexChannel) requester.channel).shutdownOutput().syncUninterruptibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.info().connections() == 1);
        await().until(() -> agent.peer(requester.id) == null);
        assertThat(agent.peer(responder.id)).as("the responder stays").isNotNull();
    }
}
