package io.msf.net.internal;

import io.msf.event.api.Transport;
import io.netty.channel.Channel;
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
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * The channel classes and Unix-socket address type that match the event loops' transport: epoll
 * loops need epoll channels, NIO loops NIO channels (NIO has Unix sockets since JDK 16).
 */
enum ChannelTypes {

    EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class, EpollDatagramChannel.class,
            EpollServerDomainSocketChannel.class, EpollDomainSocketChannel.class) {
        @Override
        SocketAddress domainAddress(Path path) {
            return new DomainSocketAddress(path.toFile());
        }
    },
    NIO(NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class,
            NioServerDomainSocketChannel.class, NioDomainSocketChannel.class) {
        @Override
        SocketAddress domainAddress(Path path) {
            return UnixDomainSocketAddress.of(path);
        }
    };

    final Class<? extends ServerChannel> tcpServer;
    final Class<? extends Channel> tcpClient;
    final Class<? extends Channel> udp;
    final Class<? extends ServerChannel> udsServer;
    final Class<? extends Channel> udsClient;

    ChannelTypes(Class<? extends ServerChannel> tcpServer, Class<? extends Channel> tcpClient,
            Class<? extends Channel> udp, Class<? extends ServerChannel> udsServer,
            Class<? extends Channel> udsClient) {
        this.tcpServer = tcpServer;
        this.tcpClient = tcpClient;
        this.udp = udp;
        this.udsServer = udsServer;
        this.udsClient = udsClient;
    }

    abstract SocketAddress domainAddress(Path path);

    static ChannelTypes of(Transport transport) {
        return transport == Transport.EPOLL ? EPOLL : NIO;
    }

    /** The types a Unix-socket server channel was made with. */
    static ChannelTypes of(Channel udsServer) {
        return EPOLL.udsServer.isInstance(udsServer) ? EPOLL : NIO;
    }
}
