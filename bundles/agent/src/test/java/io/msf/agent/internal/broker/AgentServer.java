package io.msf.agent.internal.broker;

import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Framing;
import io.msf.net.api.NetTransport;
import io.msf.protocol.api.Protocol;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.service.log.Logger;

/**
 * A broker listening on loopback TCP and on a Unix domain socket, as the agent component sets it
 * up through the network service, but with plain Netty servers.
 */
class AgentServer implements AutoCloseable {

    final Broker broker;
    final TestTimers timers = new TestTimers();
    final Logger log = mock(Logger.class);
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final EventExecutorGroup listeners = new DefaultEventExecutorGroup(1);
    /** The loop of the clients that must go on while a test holds one of the agent's loops (made on first use). */
    private EventLoopGroup clientLoop;
    private final Channel tcp;
    private final Channel uds;
    private final Path socketDir;
    private final List<TestPeer> peers = new ArrayList<>();
    private final List<LocalClient> clients = new ArrayList<>();
    /** The agent's end of every connection still open (a closed channel leaves the group). */
    private final ChannelGroup accepted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    AgentServer(BrokerSettings settings) throws InterruptedException, IOException {
        this(settings, Files.createTempDirectory("msf-agent-test"));
    }

    /** Listens on {@code socketDir}/agent.sock: an agent restarted on the same socket. */
    AgentServer(BrokerSettings settings, Path socketDir) throws InterruptedException, IOException {
        this(settings, socketDir, null);
    }

    /** @param tls the TCP listener speaks TLS with it (as the agent's key tls=true); null: plain */
    AgentServer(BrokerSettings settings, Path socketDir, SslContext tls) throws InterruptedException, IOException {
        broker = new Broker(settings, timers, listeners::next, log);
        AgentChannelSetup setup = broker.channelSetup();
        EndpointSpec tcpSpec = new EndpointSpec("agent-tcp", NetTransport.TCP_SERVER, "127.0.0.1", 0, null,
                Framing.NONE, 4, settings.maxFrameBytes(), 100);
        tcp = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                // As the network service's endpoints: a peer's half-close leaves the agent's output open.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(initializer(setup, tcpSpec, tls, accepted)).bind(new InetSocketAddress("127.0.0.1", 0))
                .sync().channel();
        this.socketDir = Files.createDirectories(socketDir);
        Path socket = socketDir.resolve("agent.sock");
        EndpointSpec udsSpec = new EndpointSpec("agent-uds", NetTransport.UDS_SERVER, null, 0, socket.toString(),
                Framing.NONE, 4, settings.maxFrameBytes(), 100);
        uds = new ServerBootstrap().group(loops).channel(NioServerDomainSocketChannel.class)
                .childHandler(initializer(setup, udsSpec, null, accepted)).bind(UnixDomainSocketAddress.of(socket))
                .sync().channel();
    }

    /** The default settings without heartbeats, so that no PING gets between a test's frames. */
    static BrokerSettings quiet() {
        return withHeartbeat(0, 3);
    }

    static BrokerSettings withHeartbeat(int millis, int misses) {
        BrokerSettings d = BrokerSettings.DEFAULTS;
        return new BrokerSettings(d.maxFrameBytes(), millis, misses, d.defaultTimeoutMillis(),
                d.outboundHighWaterBytes(), d.helloTimeoutMillis(), null);
    }

    private static ChannelInitializer<Channel> initializer(AgentChannelSetup setup, EndpointSpec spec,
            SslContext tls, ChannelGroup accepted) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                accepted.add(channel);
                if (tls != null) {
                    channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
                }
                setup.initChannel(channel, spec);
            }
        };
    }

    SocketAddress tcpAddress() {
        return tcp.localAddress();
    }

    SocketAddress udsAddress() {
        return uds.localAddress();
    }

    /** Connections the agent has not closed yet, registered or not: once one is closed, all it sent was read. */
    int openConnections() {
        return accepted.size();
    }

    /** How many requests the peer with {@code id} has outstanding, read on their owner's thread; -1 if it is gone. */
    int outstandingOf(int id) throws Exception {
        Peer peer = broker.registry.directory().byId(id);
        if (peer == null) {
            return -1;
        }
        java.util.concurrent.CompletableFuture<Integer> size = new java.util.concurrent.CompletableFuture<>();
        peer.outstanding.execute(() -> size.complete(peer.outstanding.size()));
        return size.get(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    TestPeer connect() throws InterruptedException {
        return connect(tcpAddress());
    }

    TestPeer connect(SocketAddress address) throws InterruptedException {
        TestPeer peer = new TestPeer(loops, address, Protocol.DEFAULT_MAX_FRAME_BYTES);
        peers.add(peer);
        return peer;
    }

    /** A client on a loop of its own, not one of the agent's: it is heard while a test holds an agent loop. */
    TestPeer connectApart() throws InterruptedException {
        if (clientLoop == null) {
            clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        }
        TestPeer peer = new TestPeer(clientLoop, tcpAddress(), Protocol.DEFAULT_MAX_FRAME_BYTES);
        peers.add(peer);
        return peer;
    }

    /** A client as {@link #connectApart} gives, whose agent end is on a loop other than {@code avoid}. */
    TestPeer connectApartOffLoop(EventLoop avoid) throws InterruptedException {
        for (int attempt = 0; attempt < 8; attempt++) {
            TestPeer peer = connectApart();
            if (agentEndOf(peer).eventLoop() != avoid) {
                return peer;
            }
            peer.close();
        }
        throw new AssertionError("8 connections in a row on the agent's loop " + avoid);
    }

    /**
     * Holds {@code loop} with a task of its own, as a busy handler would, until the latch returned is
     * counted down (30 s at most); returns once the task runs.
     */
    static CountDownLatch hold(EventLoop loop) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (!held.await(10, TimeUnit.SECONDS)) {
            release.countDown();
            throw new AssertionError("the agent's loop " + loop + " did not run the task holding it within 10 s");
        }
        return release;
    }

    /** The agent's end of the TCP connection of {@code peer}. */
    Channel agentEndOf(TestPeer peer) {
        SocketAddress client = peer.channel.localAddress();
        // The client's connect completes before the agent's end has been set up: wait for it.
        return await().until(() -> accepted.stream().filter(channel -> client.equals(channel.remoteAddress()))
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    /** A connected and registered peer. */
    TestPeer peer(int id, String name) throws InterruptedException {
        return connect().register(id, name);
    }

    /** The client a bundle (test.caller) opens inside the container, its buffers unpooled; closed with the agent. */
    LocalClient caller() {
        LocalClient client = broker.openClient("bundle test.caller 1.0.0", UnpooledByteBufAllocator.DEFAULT);
        clients.add(client);
        return client;
    }

    @Override
    public void close() throws IOException {
        peers.forEach(TestPeer::close);
        clients.forEach(LocalClient::close);
        broker.close();
        tcp.close().syncUninterruptibly();
        uds.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        listeners.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        if (clientLoop != null) {
            clientLoop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
        timers.close();
        Files.deleteIfExists(socketDir.resolve("agent.sock"));
        Files.deleteIfExists(socketDir);
    }
}
