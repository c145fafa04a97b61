package io.msf.bench.broker;

import io.msf.protocol.api.Protocol;
import io.msf.protocol.codec.AgentCodec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's plain Netty forwarder (issue 4, section 9): the agent's framing through
 * {@code io.msf.protocol.codec}, no routing ({@link ForwarderHandler}). Listens on TCP loopback and
 * on a Unix domain socket, with the event loops the container uses by default: epoll where it
 * loads, half as many I/O threads as cores, at least one ({@code -Dbench.forwarder.ioThreads=N}
 * sets another count).
 *
 * <pre>java -cp benchmarks.jar io.msf.bench.broker.Forwarder &lt;tcpPort&gt; &lt;socketFile&gt;</pre>
 *
 * Prints {@code forwarder ready} once both listen; runs until killed.
 */
public final class Forwarder {

    private Forwarder() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Forwarder <tcpPort> <socketFile>");
        }
        int port = Integer.parseInt(args[0]);
        Path socket = Path.of(args[1]);
        Files.deleteIfExists(socket);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        // The container's default for its 'io' group (msf.event ioThreads = 0): half the cores, at least one.
        int threads = Integer.getInteger("bench.forwarder.ioThreads", Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        if (threads < 1) {
            throw new IllegalArgumentException("bench.forwarder.ioThreads must be at least 1, not " + threads);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, io);
        ForwarderPeers peers = new ForwarderPeers();
        listen(group, peers, epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class,
                new InetSocketAddress("127.0.0.1", port), true);
        listen(group, peers, epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class,
                epoll ? new DomainSocketAddress(socket.toFile()) : UnixDomainSocketAddress.of(socket), false);
        System.out.println("forwarder ready (" + (epoll ? "epoll" : "nio") + ", " + threads + " I/O threads) tcp 127.0.0.1:" + port + " uds " + socket);
        System.out.flush();
    }

    private static void listen(EventLoopGroup group, ForwarderPeers peers, Class<? extends ServerChannel> type,
            SocketAddress address, boolean tcp) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(type)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        AgentCodec.addTo(channel.pipeline(), Protocol.DEFAULT_MAX_FRAME_BYTES);
                        channel.pipeline().addLast(new ForwarderHandler(peers, Protocol.DEFAULT_MAX_FRAME_BYTES));
                    }
                });
        if (tcp) {
            bootstrap.childOption(ChannelOption.TCP_NODELAY, true);
        }
        bootstrap.bind(address).sync();
    }
}
