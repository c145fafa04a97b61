package io.msf.net.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Addresses as log lines and {@code endpoints()} show them. */
final class Peers {

    /**
     * A connection's peer as named when the connection was set up: a line told at its end (a frame cut short by
     * the peer's close) comes once the channel may no longer know its remote address.
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

    /** The remote side of a connection; Unix-socket clients are usually unnamed. */
    static String peer(Channel channel) {
        Named named = channel.attr(NAMED).get();
        return named != null ? named.peer : name(channel);
    }

    /** The remote side's address without the port (its IP address, or the Unix-socket path). */
    static String host(Channel channel) {
        Named named = channel.attr(NAMED).get();
        return named != null ? named.host : hostOf(channel);
    }

    private static String name(Channel channel) {
        String address = format(channel.remoteAddress());
        return address.isEmpty() ? "an unnamed local peer" : address;
    }

    private static String hostOf(Channel channel) {
        SocketAddress address = channel.remoteAddress();
        return address instanceof InetSocketAddress ? ((InetSocketAddress) address).getHostString() : name(channel);
    }

    /** host:port for IP addresses, the path for Unix sockets, empty if unknown. */
    static String format(SocketAddress address) {
        if (address == null) {
            return "";
        }
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            return inet.getHostString() + ":" + inet.getPort();
        }
        return address.toString();
    }
}
