package io.msf.net.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens TCP, UDP and Unix-domain-socket endpoints on the container's event loops.
 *
 * <p>The service is bundle scoped: endpoints are owned by the bundle that opened them, their
 * buffers are charged to it in the memory pool, and they are closed when it stops. Endpoints
 * declared in configuration ({@code msf.net.endpoint~<name>}) are owned by the network bundle
 * and handled by the {@link ChannelSetup} service named in their {@code handler} key.
 *
 * <p>Servers bind to loopback unless the configuration names another host.
 */
@ProviderType
public interface NetworkService {

    /**
     * Opens an endpoint: binds a server or a UDP socket, or connects a client, and waits until
     * that has succeeded or failed.
     *
     * <p>A client whose spec has a {@link EndpointSpec#reconnect} is the exception: it returns at
     * once and connects in the background, again and again while the server is not there and
     * whenever the connection is lost, as a configured client with {@code reconnect=true} does. It
     * is {@code CONNECTING} or {@code RECONNECTING} in {@link #endpoints()} meanwhile (with the
     * attempts that failed and why), its {@link Endpoint#channel()} null; {@code setup} is called
     * for each new connection. It stops with {@link Endpoint#close()}.
     *
     * @param spec where and how
     * @param setup adds the endpoint's own handlers to each channel, after the framing handlers
     * @throws java.io.UncheckedIOException if the bind or connect (or a TLS client's handshake)
     *     fails; the message names the endpoint and the address
     * @throws IllegalStateException if called on one of the event loops (in a handler), except for a client
     *     with a {@link EndpointSpec#reconnect}: the wait would hold the loop
     * @throws IllegalArgumentException if the spec cannot be served, such as a TLS key or trust
     *     store that cannot be read (the message names the file), or a Unix socket path longer than
     *     the 107 bytes Linux allows once a relative path is resolved in the data folder; a server's
     *     in a folder group or others may enter at most 95, as it is bound first in an owner-only
     *     folder there, 12 bytes longer (the message names the endpoint, the length and the limit)
     */
    Endpoint open(EndpointSpec spec, ChannelSetup setup);

    /** Every endpoint in the container, from code and from configuration. */
    List<EndpointInfo> endpoints();
}
