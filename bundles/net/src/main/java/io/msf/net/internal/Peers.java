package io.msf.net.internal;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Addresses as log lines and {@code endpoints()} show them. */
final class Peers {

    private Peers() {
    }

    /** The remote side of a connection; Unix-socket clients are usually unnamed. */
    static String peer(Channel channel) {
        String address = format(channel.remoteAddress());
        return address.isEmpty() ? "an unnamed local peer" : address;
    }

    /** The remote side's address without the port (its IP address, or the Unix-socket path). */
    static String host(Channel channel) {
        SocketAddress address = channel.remoteAddress();
        return address instanceof InetSocketAddress ? ((InetSocketAddress) address).getHostString() : peer(channel);
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
