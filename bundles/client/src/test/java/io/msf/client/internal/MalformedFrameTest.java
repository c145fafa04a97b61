package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.AgentClients;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A broken agent: the client names the fault (onError), tells the agent with a closing ERROR,
 * drops the connection and registers again on a new one.
 */
class MalformedFrameTest extends ClientTestBase {

    /** The worked example of docs/protocol.md section 12: a valid 58-byte REQUEST. */
    private static final byte[] REQUEST = HexFormat.of().parseHex("4d5301020000003a00000000000400000000000500000000"
            + "00000010000013880000000000000001" + "0000000a75706e7067657420766f6c756d65");

    @Test
    void garbageAfterAFrameIsReportedAnsweredAndReconnected() {
        ConnectedClient client = connect(options());
        Queue<ConnectionState> states = states(client);

        agent.sendRaw("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        await().until(() -> states.contains(ConnectionState.CONNECTED));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME);
            assertThat(e).hasMessageContaining("garbage after frame #1: bad magic 0x4745");
        });
        await().untilAsserted(() -> assertThat(agent.closingErrors).singleElement().asString()
                .startsWith("BAD_FRAME: garbage after frame #1: bad magic 0x4745"));
    }

    /** After the HELLOs only their version is read; the client names the agent and both versions. */
    @Test
    void aFrameOfAnotherVersionThanTheHellosAgreedOnIsRefused() {
        connect(options());
        byte[] version2 = REQUEST.clone();
        version2[2] = 2;

        agent.sendRaw(version2);

        await().untilAsserted(() -> assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
            assertThat(e).hasMessageContaining("the agent at " + Connector.describe(agent.address()) + " sent a malformed frame:"
                    + " protocol version 2, but the HELLOs agreed on version 1 at offset ");
        }));
        await().untilAsserted(() -> assertThat(agent.closingErrors).singleElement().asString()
                .startsWith("UNSUPPORTED_VERSION: protocol version 2, but the HELLOs agreed on version 1"));
        await().untilAsserted(() -> assertThat(agent.hellos).hasSize(2));
    }

    @Test
    void aFrameCutShortByTheAgentIsReportedAsTruncated() {
        ConnectedClient client = connect(options());
        Queue<ConnectionState> states = states(client);

        agent.sendRaw(Arrays.copyOf(REQUEST, 30));
        await().untilAsserted(() -> assertThat(agent.connections).hasSize(1));
        agent.dropConnections();

        await().until(() -> states.contains(ConnectionState.CONNECTED));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME);
            assertThat(e).hasMessageContaining("truncated frame");
        });
    }

    @Test
    void aFrameTheAgentMustNotSendEndsTheConnection() {
        ConnectedClient client = connect(options());
        Queue<ConnectionState> states = states(client);

        agent.sendToAll(channel -> Message.subscribe("a", 1));

        await().until(() -> states.contains(ConnectionState.CONNECTED));
        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessage("BAD_FRAME: the agent at "
                + Connector.describe(agent.address()) + " broke the protocol: unexpected SUBSCRIBE from the agent"));
        await().untilAsserted(() -> assertThat(agent.closingErrors)
                .containsExactly("BAD_FRAME: unexpected SUBSCRIBE from the agent"));
    }

    /** An answer to the HELLO that is neither a HELLO nor an ERROR: the connect fails with a report naming the agent. */
    @Test
    void aHelloAnsweredWithAnotherFrameIsReportedWithTheAgentsAddress() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel requester = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new RequestAtHello())
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) requester.localAddress()).getPort();

            String breach = "BAD_FRAME: the agent at 127.0.0.1:" + port
                    + " broke the protocol: a REQUEST in answer to the HELLO";

            // at once, not at the connect timeout: connect() fails with the breach, onError has heard it once
            AgentException failed = catchThrowableOfType(AgentException.class,
                    () -> AgentClients.connect(options().tcp("127.0.0.1", port).build()));

            assertThat(failed).isNotNull().hasMessage(breach);
            assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessage(breach));
            requester.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Answers whatever comes first (the HELLO) with a valid REQUEST. */
    @Sharable
    private static final class RequestAtHello extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.writeAndFlush(ctx.alloc().buffer(REQUEST.length).writeBytes(REQUEST));
        }
    }

    /** What a web server says to bytes it does not understand; {@code close}: whether it closes the connection then. */
    @Sharable
    private static final class HttpRefusal extends ChannelInboundHandlerAdapter {
        private final boolean close;

        HttpRefusal(boolean close) {
            this.close = close;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ChannelFuture written = ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), "HTTP/1.1 400 Bad Request\r\n\r\n"));
            if (close) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    @Test
    void somethingElseThanAnAgentAtTheAddressIsNeverRegisteredWith() throws Exception {
        assertRefusedAtOnce(new HttpRefusal(true));
    }

    /**
     * Nor one that keeps the connection open: the client closes it. Every attempt would find the same
     * answer, so the first connect fails with it at once, not with PEER_OFFLINE at the connect timeout.
     */
    @Test
    void somethingElseThanAnAgentThatKeepsTheConnectionFailsTheConnectAtOnce() throws Exception {
        assertRefusedAtOnce(new HttpRefusal(false));
    }

    private void assertRefusedAtOnce(HttpRefusal server) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel http = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(server)
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) http.localAddress()).getPort();
            String malformed = "BAD_FRAME: the agent at 127.0.0.1:" + port + " sent a malformed frame: bad magic 0x4854,"
                    + " expected 0x4d53 ('MS'): not an msf agent peer at offset 0";

            // A connect timeout far beyond the wait: the failure must come from the answer, not from the timeout.
            CompletableFuture<ConnectedClient> connecting = CompletableFuture.supplyAsync(() -> AgentClients.connect(
                    options().tcp("127.0.0.1", port).connectTimeout(Duration.ofSeconds(60)).build()));
            await().atMost(Duration.ofSeconds(20)).until(connecting::isDone);

            assertThat(connecting).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(AgentException.class).withMessage(malformed);
            // onError hears it too, once, on the callback thread
            await().untilAsserted(() -> assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessage(malformed)));
            http.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
