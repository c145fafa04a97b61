package io.msf.agent.internal.broker;

import io.msf.agent.api.PeerKind;
import io.msf.net.api.Endpoint;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** How log lines and {@code agent:peers} name where a connection comes from. */
final class Origins {

    private Origins() {
    }

    /**
     * {@code tcp 127.0.0.1:53412}, or {@code unix /path/agent.sock #1f2e3d4c}: a Unix socket's
     * client has no address of its own, so the channel's id tells its connections apart. The path is
     * the socket's as the endpoint publishes it, not the private folder it may have been bound in.
     */
    static String of(Channel channel, PeerKind kind) {
        if (kind == PeerKind.TCP) {
            SocketAddress remote = channel.remoteAddress();
            return remote instanceof InetSocketAddress
                    ? addressOf(channel, kind) + ":" + ((InetSocketAddress) remote).getPort()
                    : addressOf(channel, kind);
        }
        return addressOf(channel, kind) + " #" + channel.id().asShortText();
    }

    /**
     * Where a connection comes from without what tells it from the others there: {@code tcp 127.0.0.1}
     * (each connection has a port of its own), or {@code unix /path/agent.sock} (every client of the
     * socket). What {@link PeerAddressWarnings} counts per.
     */
    static String addressOf(Channel channel, PeerKind kind) {
        if (kind == PeerKind.TCP) {
            SocketAddress remote = channel.remoteAddress();
            return "tcp " + (remote instanceof InetSocketAddress
                    ? ((InetSocketAddress) remote).getHostString()
                    : String.valueOf(remote));
        }
        return "unix " + describe(Endpoint.localAddressOf(channel));
    }

    private static String describe(SocketAddress address) {
        String text = String.valueOf(address);
        // Netty's and the JDK's domain socket addresses print their path, some with a prefix.
        int slash = text.indexOf('/');
        return slash >= 0 ? text.substring(slash) : text;
    }
}
