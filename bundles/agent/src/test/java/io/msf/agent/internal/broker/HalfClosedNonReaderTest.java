package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Framing;
import io.msf.net.internal.TestEndpoints;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

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
    private final TestTimers timers = new TestTimers();
    private final EventExecutorGroup listeners = new DefaultEventExecutorGroup(1);
    private final EventLoopGroup clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Broker broker = new Broker(AgentServer.quiet(), timers, listeners::next, mock(Logger.class));
    private TestEndpoints network;

    @AfterEach
    void stop() {
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        broker.close();
        if (network != null) {
            network.close();
        }
        listeners.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        timers.close();
    }

    @Test
    void aPeerThatShutsDownItsOutputAndNeverReadsIsClosedAndLeaves() throws Exception {
        network = new TestEndpoints(dataDir, STALL_MILLIS, mock(Logger.class));
        Endpoint agent = network.open(EndpointSpec.tcpServer("agent-tcp", 0).withFraming(Framing.NONE, 4),
                broker.channelSetup());
        TestPeer responder = new TestPeer(clients, agent.localAddress(), Protocol.DEFAULT_MAX_FRAME_BYTES)
                .register(0, "big");
        TestPeer requester = new TestPeer(clients, agent.localAddress(), Protocol.DEFAULT_MAX_FRAME_BYTES)
                .register(0, "asker");
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
        await().until(() -> outstandingOf(requester.id) == 0);

        ((DuplexChannel) requester.channel).shutdownOutput().syncUninterruptibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.info().connections() == 1);
        await().until(() -> broker.registry.directory().byId(requester.id) == null);
        assertThat(broker.registry.directory().byId(responder.id)).as("the responder stays").isNotNull();
    }

    /** How many requests the peer with {@code id} has outstanding, read on their owner's thread. */
    private int outstandingOf(int id) throws Exception {
        Peer peer = broker.registry.directory().byId(id);
        java.util.concurrent.CompletableFuture<Integer> size = new java.util.concurrent.CompletableFuture<>();
        peer.outstanding.execute(() -> size.complete(peer.outstanding.size()));
        return size.get(5, TimeUnit.SECONDS);
    }
}
