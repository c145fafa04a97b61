package io.msf.agent.internal.broker;

import io.msf.agent.api.PeerKind;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** How log lines and {@code agent:peers} name where a connection comes from. */
final class Origins {

    private Origins() {
    }

    /**
     * {@code tcp 127.0.0.1:53412}, or {@code unix /path/agent.sock #1f2e3d4c}: a Unix socket's
     * client has no address of its own, so the channel's id tells its connections apart.
     */
    static String of(Channel channel, PeerKind kind) {
        if (kind == PeerKind.TCP) {
            SocketAddress remote = channel.remoteAddress();
            return "tcp " + (remote instanceof InetSocketAddress
                    ? ((InetSocketAddress) remote).getHostString() + ":" + ((InetSocketAddress) remote).getPort()
                    : String.valueOf(remote));
        }
        return "unix " + describe(channel.localAddress()) + " #" + channel.id().asShortText();
    }

    private static String describe(SocketAddress address) {
        String text = String.valueOf(address);
        // Netty's and the JDK's domain socket addresses print their path, some with a prefix.
        int slash = text.indexOf('/');
        return slash >= 0 ? text.substring(slash) : text;
    }
}
