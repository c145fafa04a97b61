package io.msf.client.internal;

import io.msf.net.testing.TestPorts;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.codec.AgentCodec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * A stand-in for the msf agent on a real loopback TCP port or Unix domain socket, speaking
 * docs/protocol.md with the real codec: registration (token, versions, duplicates, REPLACE,
 * assigned ids), routing of REQUEST/REPLY/NOTIFY/ERROR between its peers with the agent's
 * timeout, publish/subscribe, PING/PONG, and closing ERRORs. Built-in peers: {@code echo} replies
 * with the request's payload, {@code silent} lets every request time out (ERROR TIMEOUT), and
 * {@code blackhole} never answers (an agent that lost a request). Tests steer it through its
 * fields and record what it saw.
 */
final class FakeAgent implements AutoCloseable {

    static final String ECHO = "echo";
    static final String SILENT = "silent";
    static final String BLACKHOLE = "blackhole";

    /** The version range this agent speaks. */
    volatile int minVersion = 1;
    volatile int maxVersion = 1;
    volatile byte[] token = new byte[0];
    volatile int maxFrameBytes = 1 << 20;
    /** How often it PINGs its peers; 0: never. */
    volatile int heartbeatMillis;
    /**
     * How much later than the request's timeout {@link #SILENT} sends its ERROR TIMEOUT: an agent that
     * read the request that much after the client sent it (a backlog on the way).
     */
    volatile long silentLateByMillis;
    /** ERROR TIMEOUTs {@link #SILENT} has written. */
    final AtomicInteger silentTimeouts = new AtomicInteger();
    /**
     * How many HELLOs to come are refused as an agent refuses one that came after its hello timeout
     * (closing ERROR UNAUTHORIZED "no HELLO within ... ms").
     */
    final AtomicInteger lateHellos = new AtomicInteger();
    /** The id its HELLO answers grant, whatever was claimed or assigned (a broken agent); null: the right one. */
    volatile Integer grantId;
    /** The source of its HELLO answers: 0, its own id, unless a test makes it a broken agent. */
    volatile int helloSource;
    /** The name its HELLO answers grant, whatever was claimed (a broken agent); null: the one claimed. */
    volatile String grantName;
    /** Closes each connection as soon as its HELLO is answered: an agent in a crash or cut-off loop. */
    volatile boolean dropAfterHello;
    /** Ignores everything its peers send and stops pinging: alive, but deaf and mute. */
    volatile boolean silent;
    /** While {@link #silent}, run at each PING a peer sends instead of the PONG (null: nothing). */
    volatile Runnable whileSilentAtPing;
    /** Names and ids held by handlers "in the container": never taken over. */
    final Set<String> reservedNames = ConcurrentHashMap.newKeySet();
    final Set<Integer> reservedIds = ConcurrentHashMap.newKeySet();

    /** What it saw. */
    final Queue<FakeAgentConnection.HelloSeen> hellos = new ConcurrentLinkedQueue<>();
    final Queue<String> subscribes = new ConcurrentLinkedQueue<>();
    final Queue<String> unsubscribes = new ConcurrentLinkedQueue<>();
    final Queue<Long> pongs = new ConcurrentLinkedQueue<>();
    final AtomicInteger pings = new AtomicInteger();
    final Queue<String> closingErrors = new ConcurrentLinkedQueue<>();
    /** Speaks TLS with this context on new connections; null: plain. */
    volatile SslContext tls;
    /** Requests to {@link #BLACKHOLE} it received (and will never answer). */
    final AtomicInteger swallowed = new AtomicInteger();

    final Map<Integer, FakeAgentConnection> byId = new ConcurrentHashMap<>();
    final Map<String, FakeAgentConnection> byName = new ConcurrentHashMap<>();
    final AtomicInteger nextAssignedId = new AtomicInteger(0x8000_0000);
    final List<Channel> connections = new CopyOnWriteArrayList<>();

    private static final long REBIND_PATIENCE_MILLIS = 5_000;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final SocketAddress address;
    private Channel server;
    private SocketAddress bound;

    private FakeAgent(SocketAddress address) {
        this.address = address;
    }

    /**
     * On a port of {@link TestPorts}: a test that stops the agent and starts it again gets that port
     * back, which neither the local end of a connection made meanwhile (a client reconnecting to it,
     * any other process's) nor another test JVM's agent can have taken.
     */
    static FakeAgent tcp() {
        FakeAgent agent = new FakeAgent(new InetSocketAddress("127.0.0.1", TestPorts.free()));
        agent.start();
        return agent;
    }

    /** On {@code socket}, a path in a test's temporary directory. */
    static FakeAgent unix(Path socket) {
        FakeAgent agent = new FakeAgent(UnixDomainSocketAddress.of(socket));
        agent.start();
        return agent;
    }

    /**
     * Listens (again, on the same address after {@link #stop}). A TCP port given back by {@link #stop}
     * may still be held for a moment: the JDK closes a listening socket registered with a selector only
     * when the event loop next selects, after the close future has completed; so a rebind is retried
     * for up to {@link #REBIND_PATIENCE_MILLIS}.
     */
    synchronized void start() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REBIND_PATIENCE_MILLIS);
        while (true) {
            try {
                bind();
                return;
            } catch (Exception e) { // BindException, thrown by Netty undeclared
                if (!(e instanceof BindException) || bound == null || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    private void bind() {
        SocketAddress bindTo = bound == null ? address : bound;
        if (bindTo instanceof UnixDomainSocketAddress unix) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        server = new ServerBootstrap().group(group)
                .channel(bindTo instanceof UnixDomainSocketAddress ? NioServerDomainSocketChannel.class
                        : NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.closeFuture().addListener(f -> connections.remove(ch));
                        SslContext context = tls;
                        if (context != null) {
                            ch.pipeline().addLast("tls", context.newHandler(ch.alloc()));
                        }
                        AgentCodec.addTo(ch.pipeline(), maxFrameBytes);
                        ch.pipeline().addLast(new FakeAgentConnection(FakeAgent.this));
                    }
                })
                .bind(bindTo).syncUninterruptibly().channel();
        bound = server.localAddress();
    }

    /** Stops listening and drops every connection, as a crashed agent would. */
    synchronized void stop() {
        server.close().syncUninterruptibly();
        dropConnections();
    }

    /** Closes every connection without a word (no ERROR): a lost connection. */
    void dropConnections() {
        for (Channel channel : connections) {
            channel.close().syncUninterruptibly();
        }
    }

    /** Writes raw bytes, past the encoder, to every connection. */
    void sendRaw(byte[] bytes) {
        for (Channel channel : connections) {
            ByteBuf raw = channel.alloc().buffer(bytes.length).writeBytes(bytes);
            channel.pipeline().firstContext().writeAndFlush(raw);
        }
    }

    /** Writes a frame, through the encoder, to every connection; the writes, done once on the wire. */
    List<ChannelFuture> sendToAll(Function<Channel, Message> frame) {
        List<ChannelFuture> writes = new ArrayList<>();
        for (Channel channel : connections) {
            writes.add(channel.writeAndFlush(frame.apply(channel)));
        }
        return writes;
    }

    /** Ends every connection with a closing ERROR, as the agent does when it cuts a peer off. */
    void cutOff(ErrorCode code, String detail) {
        for (Channel channel : connections) {
            channel.writeAndFlush(Message.closingError(code, ByteBufUtil.writeUtf8(channel.alloc(), detail)))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The address clients connect to. */
    synchronized SocketAddress address() {
        return bound;
    }

    /** TCP port, for the client's options. */
    int port() {
        return ((InetSocketAddress) address()).getPort();
    }

    static String text(ByteBuf bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
