package io.msf.net.internal;

import io.msf.net.api.EndpointSpec;
import io.msf.net.api.NetTransport;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The port the kernel picked for an endpoint configured with port 0 (a TCP server or a UDP socket),
 * kept for as long as its configured endpoint lives: a change of its settings, host or handler, its
 * handler leaving and coming back (a hot swap of the bundle that serves it) and a bind after its socket
 * was lost all bind that port again, so that its peers, who learnt it from {@code net:list} or the log,
 * find it where it was. Asking the kernel again each time moved it to another port at each of those.
 * Used under the configured endpoint's lock.
 */
final class PickedPort {

    private int port;

    /**
     * {@code spec} on the port kept for it, if it asks for port 0 and one was picked before; else
     * {@code spec} itself (the same object, which callers compare by identity).
     */
    EndpointSpec applyTo(EndpointSpec spec) {
        if (port == 0 || !asksForAnyPort(spec)) {
            return spec;
        }
        return new EndpointSpec(spec.name(), spec.transport(), spec.host(), port, spec.path(), spec.framing(),
                spec.lengthFieldBytes(), spec.maxFrameBytes(), spec.maxConnections(), spec.tls(), spec.reconnect(),
                spec.connectTimeoutMillis(), spec.tlsHandshakeTimeoutMillis(), spec.idleTimeoutMillis());
    }

    /** Keeps the port {@code bound} was given, if it was bound for {@code asked}, which asks for port 0. */
    void keep(EndpointSpec asked, NetEndpoint bound) {
        SocketAddress local = bound.localAddress();
        if (asksForAnyPort(asked) && local instanceof InetSocketAddress inet) {
            port = inet.getPort();
        }
    }

    /**
     * Lets go of the port kept once the endpoint moved to {@code configured}, if that names its port: a
     * return to port 0 later takes any port, not one that another socket may hold by then.
     */
    void follow(EndpointSpec configured) {
        if (!asksForAnyPort(configured)) {
            port = 0;
        }
    }

    /** The port kept, or 0 if none was picked yet. */
    int port() {
        return port;
    }

    private static boolean asksForAnyPort(EndpointSpec spec) {
        return spec.port() == 0 && (spec.transport() == NetTransport.TCP_SERVER || spec.transport() == NetTransport.UDP);
    }
}
