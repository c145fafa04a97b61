package io.msf.agent.internal.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Hello;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.msf.protocol.codec.AgentCodec;
import io.msf.protocol.codec.FrameDecoder;
import io.msf.protocol.codec.FrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw protocol peer on a real socket: sends frames through the protocol codec and queues what
 * it receives. It answers the agent's PINGs unless told not to.
 */
final class TestPeer implements AutoCloseable {

    static final long WAIT_SECONDS = 10;

    final Channel channel;
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    private volatile boolean answerPings = true;
    private long sequence;
    int id;

    TestPeer(EventLoopGroup group, SocketAddress agent, int maxFrameBytes) throws InterruptedException {
        this.channel = new Bootstrap().group(group)
                .channel(agent instanceof UnixDomainSocketAddress ? NioDomainSocketChannel.class
                        : NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        AgentCodec.addTo(ch.pipeline(), maxFrameBytes);
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<Message>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Message message) {
                                if (message.type() == MessageType.PING && answerPings) {
                                    ctx.writeAndFlush(Message.pong(message));
                                    return;
                                }
                                if (message.type() == MessageType.HELLO) {
                                    // frames past the smallest limit from the next one on, as a client takes them
                                    ctx.pipeline().get(FrameDecoder.class)
                                            .agreedVersion(Hello.read(message.payload()).maxVersion());
                                }
                                received.add(Frame.of(message));
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                })
                .connect(agent).sync().channel();
    }

    /** Sends a HELLO and returns the agent's answer (a HELLO or a closing ERROR). */
    Frame hello(int claimedId, String name, boolean replace, byte[] token, int maxFrameBytes) {
        send(Message.hello(claimedId, name, replace,
                Hello.offer(maxFrameBytes, 0, token).write(channel.alloc())));
        Frame answer = next();
        if (answer.type() == MessageType.HELLO) {
            id = answer.destination();
            int agentLimit = Hello.read(Unpooled.wrappedBuffer(answer.payload())).maxFrameBytes();
            channel.eventLoop().execute(() -> {
                FrameEncoder encoder = channel.pipeline().get(FrameEncoder.class);
                if (encoder != null) {
                    encoder.peerMaxFrameBytes(agentLimit);
                }
            });
        }
        return answer;
    }

    /** Registers or fails the test. */
    TestPeer register(int claimedId, String name) {
        Frame answer = hello(claimedId, name, false, null, Protocol.DEFAULT_MAX_FRAME_BYTES);
        assertThat(answer.type()).as("HELLO answer %s", answer).isEqualTo(MessageType.HELLO);
        return this;
    }

    void answerPings(boolean answer) {
        answerPings = answer;
    }

    void send(Message message) {
        channel.writeAndFlush(message).syncUninterruptibly();
    }

    void sendRaw(ByteBuf bytes) {
        channel.writeAndFlush(bytes).syncUninterruptibly();
    }

    long request(int destination, int command, String payload, int timeoutMillis) {
        long seq = ++sequence;
        send(Message.request(destination, command, seq, timeoutMillis, text(payload)));
        return seq;
    }

    long request(String name, int command, String payload, int timeoutMillis) {
        long seq = ++sequence;
        send(Message.request(name, command, seq, timeoutMillis, text(payload)));
        return seq;
    }

    void reply(Frame request, String payload) {
        send(new Message(MessageType.REPLY, 0, ErrorCode.OK, 0, request.source(), "", request.command(),
                request.sequence(), 0, text(payload)));
    }

    long subscribe(String pattern) {
        long seq = ++sequence;
        send(Message.subscribe(pattern, seq));
        return seq;
    }

    /** Subscribes and waits for the acknowledgement. */
    void subscribed(String pattern) {
        long seq = subscribe(pattern);
        Frame ack = next();
        assertThat(ack.type()).as("answer to SUBSCRIBE %s: %s", pattern, ack).isEqualTo(MessageType.REPLY);
        assertThat(ack.sequence()).isEqualTo(seq);
    }

    void publish(String topic, int command, String payload) {
        send(Message.publish(topic, command, ++sequence, text(payload)));
    }

    /** The next frame received, waiting for it. */
    Frame next() {
        return next(WAIT_SECONDS);
    }

    /** The next frame, waiting up to {@code seconds}: for one that comes after much work of the agent's. */
    Frame next(long seconds) {
        try {
            Frame frame = received.poll(seconds, TimeUnit.SECONDS);
            assertThat(frame).as("a frame within %d s", seconds).isNotNull();
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Asserts that nothing was received before a PING round trip: the agent answers a PING in
     * order, so anything routed to this peer earlier would come before the PONG.
     */
    void assertNothingElse() {
        long seq = ++sequence;
        send(Message.ping(seq));
        Frame pong = next();
        assertThat(pong.type()).as("expected only the PONG, got %s", pong).isEqualTo(MessageType.PONG);
        assertThat(pong.sequence()).isEqualTo(seq);
    }

    boolean awaitClosed() {
        return channel.closeFuture().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    static ByteBuf text(String text) {
        return text.isEmpty() ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(text, UTF_8);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
