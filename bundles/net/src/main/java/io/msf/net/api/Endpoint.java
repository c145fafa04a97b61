package io.msf.net.api;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An open endpoint: a bound server or UDP socket, or a connected client. A client that reconnects
 * ({@link EndpointSpec#reconnect}) is open from {@link NetworkService#open} until {@link #close}, its
 * connections coming and going meanwhile.
 */
@ProviderType
public interface Endpoint extends AutoCloseable {

    /**
     * Set by the network service on a Unix-socket server's listening channel before it is bound: the
     * address of its socket file as the server publishes it ({@link #localAddress}). Read it through
     * {@link #localAddressOf}.
     */
    AttributeKey<SocketAddress> PUBLISHED_ADDRESS = AttributeKey.valueOf("msf.net.publishedAddress");

    /**
     * The address a connection was made on, as its endpoint publishes it: for a connection a Unix-socket
     * server accepted, the server's socket file under its own name, where the channel's
     * {@code localAddress()} may name the private folder the socket was bound in before it was linked
     * there (see {@link NetworkService#open}); otherwise the channel's {@code localAddress()}.
     *
     * @param connection a connection of an endpoint, as its {@link ChannelSetup} gets it
     */
    static SocketAddress localAddressOf(Channel connection) {
        Channel server = connection.parent();
        SocketAddress published = server != null ? server.attr(PUBLISHED_ADDRESS).get() : null;
        return published != null ? published : connection.localAddress();
    }

    EndpointSpec spec();

    /**
     * The address actually bound (a server on port 0 learns its port here) or connected from; null
     * while a client that reconnects has no connection.
     */
    SocketAddress localAddress();

    /**
     * The server's listening channel, the UDP channel, or the client's connection; null while a
     * client that reconnects has none (each new one passes through its {@link ChannelSetup}).
     */
    Channel channel();

    /**
     * Changes a server's connection limit without binding again: from now on it admits a connection
     * only while fewer than {@code maxConnections} are open. Connections already open stay, also those
     * over a lowered limit; {@link #spec} shows the new limit.
     *
     * @throws IllegalArgumentException if {@code maxConnections} is not positive
     * @throws IllegalStateException if this is not a server
     */
    void limitConnections(int maxConnections);

    EndpointInfo info();

    /**
     * Closes the endpoint and, for a server, every connection it accepted. Idempotent. Off the event loops it
     * returns once they are closed (waiting at most 5 seconds for each step), so that the address can be bound
     * again; on an event loop (in a handler) it does not wait for the channels to close.
     */
    @Override
    void close();
}
