package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.Unpooled;
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
    /** Six of them are more than loopback's socket buffers hold, and less than the high-water mark (8 MiB). */
    private static final int REPLY_BYTES = 1_000_000;
    private static final int REPLIES = 6;

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
        requester.channel.config().setAutoRead(false);
        for (int i = 0; i < REPLIES; i++) {
            requester.request("big", 1, "question " + i, 10_000);
        }
        for (int i = 0; i < REPLIES; i++) {
            Frame request = responder.next();
            responder.send(new Message(MessageType.REPLY, 0, ErrorCode.OK, 0, request.source(), "",
                    request.command(), request.sequence(), 0, Unpooled.wrappedBuffer(new byte[REPLY_BYTES])));
        }
        // Every reply handed to the requester's connection, most of them waiting in the agent to be read.
        await().until(() -> agent.outstandingOf(requester.id) == 0);

        ((DuplexChannel) requester.channel).shutdownOutput().syncUninterruptibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.info().connections() == 1);
        await().until(() -> agent.peer(requester.id) == null);
        assertThat(agent.peer(responder.id)).as("the responder stays").isNotNull();
    }
}
