package io.msf.agent.internal.broker;

import static org.mockito.Mockito.mock;

import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Framing;
import io.msf.net.internal.TestEndpoints;
import io.msf.protocol.api.Protocol;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.log.Logger;

/**
 * A broker on endpoints opened as the network service opens them (its pipeline, its handling of a
 * peer's half-close, its Unix-socket binding; NIO), unlike {@link AgentServer}'s plain Netty servers.
 */
final class NetworkAgent implements AutoCloseable {

    private final TestTimers timers = new TestTimers();
    private final EventExecutorGroup listeners = new DefaultEventExecutorGroup(1);
    private final EventLoopGroup clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Broker broker = new Broker(AgentServer.quiet(), timers, listeners::next, mock(Logger.class));
    private final TestEndpoints network;

    /**
     * @param dataDir where a relative socket path is resolved
     * @param stallMillis how long a connection whose peer shut down its output may send nothing before it is closed
     */
    NetworkAgent(Path dataDir, long stallMillis) {
        network = new TestEndpoints(dataDir, stallMillis, mock(Logger.class));
    }

    /** An agent endpoint carrying the agent's protocol (no framing of its own), as the agent opens them. */
    Endpoint open(EndpointSpec spec) {
        return network.open(spec.withFraming(Framing.NONE, 4), broker.channelSetup());
    }

    TestPeer connect(SocketAddress address) throws InterruptedException {
        return new TestPeer(clients, address, Protocol.DEFAULT_MAX_FRAME_BYTES);
    }

    /** The registered peer with {@code id}, or null. */
    Peer peer(int id) {
        return broker.registry.directory().byId(id);
    }

    /** How many requests the peer with {@code id} has outstanding, read on their owner's thread. */
    int outstandingOf(int id) throws Exception {
        Peer peer = peer(id);
        CompletableFuture<Integer> size = new CompletableFuture<>();
        peer.outstanding.execute(() -> size.complete(peer.outstanding.size()));
        return size.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        broker.close();
        network.close();
        listeners.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        timers.close();
    }
}
