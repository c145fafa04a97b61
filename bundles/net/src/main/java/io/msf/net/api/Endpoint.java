package io.msf.net.api;

import io.netty.channel.Channel;
import java.net.SocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/** An open endpoint: a bound server or UDP socket, or a connected client. */
@ProviderType
public interface Endpoint extends AutoCloseable {

    EndpointSpec spec();

    /** The address actually bound (a server on port 0 learns its port here) or connected from. */
    SocketAddress localAddress();

    /** The server's listening channel, the UDP channel, or the client's connection. */
    Channel channel();

    EndpointInfo info();

    /** Closes the endpoint and, for a server, every connection it accepted. Idempotent. */
    @Override
    void close();
}
