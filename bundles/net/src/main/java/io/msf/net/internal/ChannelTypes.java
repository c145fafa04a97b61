package io.msf.net.internal;

import io.msf.event.api.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * The channel classes and Unix-socket address type that match the event loops' transport: epoll
 * loops need epoll channels, NIO loops NIO channels (NIO has Unix sockets since JDK 16).
 *
 * <p>Netty's Unix-socket server channels remove the file at the path they bound when they close,
 * whatever file is there by then: another process's socket, bound at the path after ours was removed,
 * would go with ours. So the path Netty removes must never be the socket's own: an epoll server is bound
 * here and handed to its channel bound, so that the channel never learns the path; a NIO server (whose
 * channel reads its path back from the JDK's socket) is bound under another name, in a private folder
 * where its path leaves room for one, else beside it ({@link DomainSocketBind}).
 */
enum ChannelTypes {

    EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class, EpollDatagramChannel.class,
            EpollServerDomainSocketChannel.class, EpollDomainSocketChannel.class, DomainSocketFiles.MAX_PATH_BYTES) {
        @Override
        SocketAddress domainAddress(Path path) {
            return new DomainSocketAddress(path.toFile());
        }

        @Override
        ChannelFuture bindDomainServer(ServerBootstrap bootstrap, Path path) throws IOException {
            Socket socket = Socket.newSocketDomain();
            try {
                socket.bind(domainAddress(path));
                socket.listen(NetUtil.SOMAXCONN);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
            // Registered already bound and listening: the channel has no path to remove when it closes.
            return bootstrap.channelFactory((ChannelFactory<ServerChannel>) () ->
                    adopt(socket, fd -> new EpollServerDomainSocketChannel(fd, true))).register();
        }

        @Override
        boolean removesBoundPath() {
            return false;
        }
    },
    // The JDK takes one byte less than the kernel (sun.nio.ch.UnixDomainSockets: "Unix domain path too long").
    NIO(NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class,
            NioServerDomainSocketChannel.class, NioDomainSocketChannel.class, DomainSocketFiles.MAX_PATH_BYTES - 1) {
        @Override
        SocketAddress domainAddress(Path path) {
            return UnixDomainSocketAddress.of(path);
        }

        @Override
        ChannelFuture bindDomainServer(ServerBootstrap bootstrap, Path path) {
            return bootstrap.channel(udsServer).bind(domainAddress(path));
        }

        @Override
        boolean removesBoundPath() {
            return true;
        }
    };

    final Class<? extends ServerChannel> tcpServer;
    final Class<? extends Channel> tcpClient;
    final Class<? extends Channel> udp;
    final Class<? extends ServerChannel> udsServer;
    final Class<? extends Channel> udsClient;
    /** The most bytes a Unix socket's path may have with these channels. */
    final int maxPathBytes;

    ChannelTypes(Class<? extends ServerChannel> tcpServer, Class<? extends Channel> tcpClient,
            Class<? extends Channel> udp, Class<? extends ServerChannel> udsServer,
            Class<? extends Channel> udsClient, int maxPathBytes) {
        this.tcpServer = tcpServer;
        this.tcpClient = tcpClient;
        this.udp = udp;
        this.udsServer = udsServer;
        this.udsClient = udsClient;
        this.maxPathBytes = maxPathBytes;
    }

    abstract SocketAddress domainAddress(Path path);

    /**
     * Binds a Unix-socket server at {@code path} with {@code bootstrap}, which has no channel class yet.
     *
     * @throws IOException if the bind fails before a channel is made (epoll)
     */
    abstract ChannelFuture bindDomainServer(ServerBootstrap bootstrap, Path path) throws IOException;

    /** Whether a Unix-socket server's channel removes the file at the path it was bound at when it closes. */
    abstract boolean removesBoundPath();

    /**
     * Whether a connection of these channels can stay open for writing at the end of its input
     * ({@code ChannelOption.ALLOW_HALF_CLOSURE}): not NIO's Unix sockets, whose config has no such option
     * (Netty 4.2), and on which setting it would be a WARN line of Netty's for every connection.
     */
    boolean halfClosure(boolean domainSocket) {
        return this == EPOLL || !domainSocket;
    }

    /**
     * Makes the channel of a socket bound already. If that throws, the socket is closed: the bootstrap
     * closes a channel that fails later, but has none to close then, and its descriptor would stay open
     * (and the socket listening) for as long as the container runs.
     */
    static <C extends Channel> C adopt(Socket socket, IntFunction<C> channel) {
        try {
            return channel.apply(socket.intValue());
        } catch (RuntimeException | Error e) {
            try {
                socket.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    static ChannelTypes of(Transport transport) {
        return transport == Transport.EPOLL ? EPOLL : NIO;
    }

    /** The types a Unix-socket server channel was made with. */
    static ChannelTypes of(Channel udsServer) {
        return EPOLL.udsServer.isInstance(udsServer) ? EPOLL : NIO;
    }
}
