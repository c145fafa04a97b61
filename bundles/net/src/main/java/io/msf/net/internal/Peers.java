package io.msf.net.internal;

import io.msf.net.api.Endpoint;
import io.msf.text.ControlCharacters;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.PeerCredentials;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/** Addresses as log lines and {@code endpoints()} show them. */
final class Peers {

    /**
     * A connection's peer as named when the connection was set up: a line told at its end (a frame cut short by
     * the peer's close) comes once the channel may no longer know its remote address, and a Unix socket's
     * credentials can only be asked of an open socket.
     */
    private static final AttributeKey<Named> NAMED = AttributeKey.valueOf("msf.net.peer");

    private Peers() {
    }

    private static final class Named {
        final String peer;
        final String host;

        Named(String peer, String host) {
            this.peer = peer;
            this.host = host;
        }
    }

    /**
     * Names the peer of a new connection, while the connection can tell who it is: an accepted one. A client's
     * channel is set up before it connects, and is named by what it connected to when asked.
     */
    static void remember(Channel channel) {
        if (channel.remoteAddress() != null) {
            channel.attr(NAMED).set(new Named(name(channel), hostOf(channel)));
        }
    }

    /**
     * The remote side of a connection: host:port, a Unix socket's path, or for a client of a Unix-socket server,
     * which has no address of its own, {@code a local peer (pid 4242, uid 1000) on /path/echo.sock}.
     */
    static String peer(Channel channel) {
        Named named = channel.attr(NAMED).get();
        return named != null ? named.peer : name(channel);
    }

    /**
     * The remote side's address without the port: its IP address, or the Unix socket's path (every client of a
     * Unix-socket server is there, as the agent counts them).
     */
    static String host(Channel channel) {
        Named named = channel.attr(NAMED).get();
        return named != null ? named.host : hostOf(channel);
    }

    private static String name(Channel channel) {
        String address = format(channel.remoteAddress());
        if (!address.isEmpty()) {
            return address;
        }
        String socket = localSocket(channel);
        if (socket.isEmpty()) {
            return "an unnamed local peer";
        }
        String credentials = credentials(channel);
        return "a local peer" + (credentials.isEmpty() ? "" : " (" + credentials + ")") + " on " + socket;
    }

    private static String hostOf(Channel channel) {
        SocketAddress address = channel.remoteAddress();
        if (address instanceof InetSocketAddress) {
            return ((InetSocketAddress) address).getHostString();
        }
        String remote = format(address);
        return remote.isEmpty() && !localSocket(channel).isEmpty() ? localSocket(channel) : name(channel);
    }

    /** The path of the Unix socket a connection was accepted on, as its endpoint publishes it; empty if none. */
    private static String localSocket(Channel channel) {
        SocketAddress local = Endpoint.localAddressOf(channel);
        return local instanceof DomainSocketAddress || local instanceof UnixDomainSocketAddress ? format(local) : "";
    }

    /**
     * The peer process of a Unix socket, from the kernel (SO_PEERCRED), which only Netty's epoll channel asks:
     * the JDK's (NIO) gives no pid, and its jdk.net option is not a package the framework exports. Empty if not
     * known; a pid of 0 is a process of another pid namespace, not one this one can see.
     */
    private static String credentials(Channel channel) {
        if (!(channel instanceof EpollDomainSocketChannel) || !channel.isOpen()) {
            return "";
        }
        try {
            PeerCredentials credentials = ((EpollDomainSocketChannel) channel).peerCredentials();
            return (credentials.pid() > 0 ? "pid " + credentials.pid() + ", " : "") + "uid " + credentials.uid();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * host:port for IP addresses, the path for Unix sockets, empty if unknown; its control characters escaped,
     * as a line feed in a configured path or host name would split the log line it is in.
     */
    static String format(SocketAddress address) {
        if (address == null) {
            return "";
        }
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            return ControlCharacters.escapedOnOneLine(inet.getHostString()) + ":" + inet.getPort();
        }
        return ControlCharacters.escapedOnOneLine(address.toString());
    }
}
