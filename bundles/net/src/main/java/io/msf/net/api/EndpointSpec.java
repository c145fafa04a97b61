package io.msf.net.api;

import java.util.Objects;

/**
 * Where and how an endpoint talks.
 *
 * @param name a name unique within the owner, shown by {@code net:list}
 * @param transport TCP, UDP or Unix domain socket; server or client
 * @param host the host to bind or connect to (TCP/UDP); loopback by default
 * @param port the port (TCP/UDP); 0 binds an ephemeral port (a server, UDP); a TCP client's is 1..65535
 * @param path the socket file (Unix domain sockets): without NUL characters, and at most 107 bytes
 *     long once a relative path is resolved in the data folder (see {@link NetworkService#open})
 * @param framing how a stream is cut into messages (TCP/UDS)
 * @param lengthFieldBytes 2 or 4, with length-field framing
 * @param maxFrameBytes the largest inbound frame accepted; a larger frame closes its connection, a
 *     larger datagram is dropped (and counted as an error)
 * @param maxConnections the most connections a server keeps; more are refused (closed at once)
 * @param tls TLS for a TCP server or client; null: plain. A Unix domain socket is owner-only and
 *     stays plain; UDP is not a stream: both refuse TLS
 * @param reconnect for a client (TCP or Unix domain socket): keep connecting, as it says, instead of
 *     failing when the server is not there and closing for good when the connection is lost; null:
 *     connect once. See {@link NetworkService#open}
 * @param connectTimeoutMillis how long a client (TCP or Unix domain socket) waits for its connection
 *     to be made before the attempt fails; 1 to {@link #MAX_TIMEOUT_MILLIS}; ignored by servers and UDP
 * @param tlsHandshakeTimeoutMillis how long a TLS handshake may take, a client's with its server or a
 *     server's with each connection it accepts, before that connection is closed as failed; 1 to
 *     {@link #MAX_TIMEOUT_MILLIS}; ignored without TLS
 * @param idleTimeoutMillis how long a connection (TCP or Unix domain socket, a server's or a client's)
 *     may pass with nothing read or written before it is closed; 0: never ({@link #NO_IDLE_TIMEOUT}),
 *     the default; ignored by UDP
 */
public record EndpointSpec(String name, NetTransport transport, String host, int port, String path, Framing framing,
        int lengthFieldBytes, int maxFrameBytes, int maxConnections, TlsSpec tls, Reconnect reconnect,
        int connectTimeoutMillis, int tlsHandshakeTimeoutMillis, int idleTimeoutMillis) {

    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    /** How long a client waits for its connection by default: 5 s. */
    public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 5000;
    /** How long a TLS handshake may take by default: 10 s. */
    public static final int DEFAULT_TLS_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** The longest connect or TLS handshake timeout: 10 minutes, past which a peer is not coming. */
    public static final int MAX_TIMEOUT_MILLIS = 600_000;
    /** Connections are not closed for being idle: the default. */
    public static final int NO_IDLE_TIMEOUT = 0;

    public EndpointSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(framing, "framing");
        if (transport.isDomainSocket()) {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("endpoint " + name + ": " + transport + " needs a path");
            }
            if (path.indexOf('\0') >= 0) {
                // Otherwise refused only as a file name, without the endpoint's, and tried for ever by a client.
                throw new IllegalArgumentException("endpoint " + name + ": path contains a NUL character (at index "
                        + path.indexOf('\0') + "), which a Unix socket's path cannot have");
            }
        } else {
            if (host == null || host.isBlank()) {
                host = LOOPBACK;
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("endpoint " + name + ": port " + port + " is not in 0..65535");
            }
            if (port == 0 && transport == NetTransport.TCP_CLIENT) {
                // Refused now: a client that keeps connecting would try it for ever, each attempt refused.
                throw new IllegalArgumentException("endpoint " + name + ": port 0 is no port to connect to; a TCP"
                        + " client needs its server's (1..65535)");
            }
        }
        if (framing == Framing.LENGTH_FIELD && lengthFieldBytes != 2 && lengthFieldBytes != 4) {
            throw new IllegalArgumentException(
                    "endpoint " + name + ": lengthFieldBytes must be 2 or 4, not " + lengthFieldBytes);
        }
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("endpoint " + name + ": maxFrameBytes must be positive");
        }
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("endpoint " + name + ": maxConnections must be positive");
        }
        if (tls != null && transport != NetTransport.TCP_SERVER && transport != NetTransport.TCP_CLIENT) {
            throw new IllegalArgumentException("endpoint " + name + ": TLS is for TCP only, not " + transport
                    + (transport.isDomainSocket() ? " (a Unix domain socket is owner-only and stays plain)"
                            : " (UDP is not a stream)"));
        }
        if (tls != null && transport == NetTransport.TCP_SERVER && tls.keyStore() == null) {
            throw new IllegalArgumentException("endpoint " + name + ": a TLS server needs a key store");
        }
        if (reconnect != null && (transport.isServer() || transport == NetTransport.UDP)) {
            throw new IllegalArgumentException("endpoint " + name + ": only a client reconnects, not " + transport);
        }
        checkTimeout(name, "connectTimeoutMillis", connectTimeoutMillis);
        checkTimeout(name, "tlsHandshakeTimeoutMillis", tlsHandshakeTimeoutMillis);
        if (idleTimeoutMillis < 0) {
            throw new IllegalArgumentException("endpoint " + name + ": idleTimeoutMillis " + idleTimeoutMillis
                    + " is negative (0: connections are never closed for being idle)");
        }
    }

    /** An endpoint whose connections are never closed for being idle, as before that could be set. */
    public EndpointSpec(String name, NetTransport transport, String host, int port, String path, Framing framing,
            int lengthFieldBytes, int maxFrameBytes, int maxConnections, TlsSpec tls, Reconnect reconnect,
            int connectTimeoutMillis, int tlsHandshakeTimeoutMillis) {
        this(name, transport, host, port, path, framing, lengthFieldBytes, maxFrameBytes, maxConnections, tls,
                reconnect, connectTimeoutMillis, tlsHandshakeTimeoutMillis, NO_IDLE_TIMEOUT);
    }

    /** An endpoint with the default connect and TLS handshake timeouts, as before they could be set. */
    public EndpointSpec(String name, NetTransport transport, String host, int port, String path, Framing framing,
            int lengthFieldBytes, int maxFrameBytes, int maxConnections, TlsSpec tls, Reconnect reconnect) {
        this(name, transport, host, port, path, framing, lengthFieldBytes, maxFrameBytes, maxConnections, tls,
                reconnect, DEFAULT_CONNECT_TIMEOUT_MILLIS, DEFAULT_TLS_HANDSHAKE_TIMEOUT_MILLIS);
    }

    /** An endpoint that connects once, as before reconnection was added. */
    public EndpointSpec(String name, NetTransport transport, String host, int port, String path, Framing framing,
            int lengthFieldBytes, int maxFrameBytes, int maxConnections, TlsSpec tls) {
        this(name, transport, host, port, path, framing, lengthFieldBytes, maxFrameBytes, maxConnections, tls, null);
    }

    /** A plain endpoint (no TLS), as before TLS was added. */
    public EndpointSpec(String name, NetTransport transport, String host, int port, String path, Framing framing,
            int lengthFieldBytes, int maxFrameBytes, int maxConnections) {
        this(name, transport, host, port, path, framing, lengthFieldBytes, maxFrameBytes, maxConnections, null, null);
    }

    /** A TCP server on loopback with length-field framing and the default bounds. */
    public static EndpointSpec tcpServer(String name, int port) {
        return new EndpointSpec(name, NetTransport.TCP_SERVER, LOOPBACK, port, null, Framing.LENGTH_FIELD, 4,
                DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_CONNECTIONS);
    }

    /** A TCP client with length-field framing and the default bounds. */
    public static EndpointSpec tcpClient(String name, String host, int port) {
        return new EndpointSpec(name, NetTransport.TCP_CLIENT, host, port, null, Framing.LENGTH_FIELD, 4,
                DEFAULT_MAX_FRAME_BYTES, 1);
    }

    /** A Unix-domain-socket server with length-field framing and the default bounds. */
    public static EndpointSpec udsServer(String name, String path) {
        return new EndpointSpec(name, NetTransport.UDS_SERVER, null, 0, path, Framing.LENGTH_FIELD, 4,
                DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_CONNECTIONS);
    }

    /** A Unix-domain-socket client with length-field framing and the default bounds. */
    public static EndpointSpec udsClient(String name, String path) {
        return new EndpointSpec(name, NetTransport.UDS_CLIENT, null, 0, path, Framing.LENGTH_FIELD, 4,
                DEFAULT_MAX_FRAME_BYTES, 1);
    }

    /** A UDP socket bound on loopback. */
    public static EndpointSpec udp(String name, int port) {
        return new EndpointSpec(name, NetTransport.UDP, LOOPBACK, port, null, Framing.NONE, 4,
                DEFAULT_MAX_FRAME_BYTES, 1);
    }

    public EndpointSpec withFraming(Framing newFraming, int newLengthFieldBytes) {
        return new EndpointSpec(name, transport, host, port, path, newFraming, newLengthFieldBytes, maxFrameBytes,
                maxConnections, tls, reconnect, connectTimeoutMillis, tlsHandshakeTimeoutMillis, idleTimeoutMillis);
    }

    public EndpointSpec withMaxFrameBytes(int newMax) {
        return new EndpointSpec(name, transport, host, port, path, framing, lengthFieldBytes, newMax, maxConnections,
                tls, reconnect, connectTimeoutMillis, tlsHandshakeTimeoutMillis, idleTimeoutMillis);
    }

    /** The same with another connection limit; see {@link Endpoint#limitConnections} to change it live. */
    public EndpointSpec withMaxConnections(int newMax) {
        return new EndpointSpec(name, transport, host, port, path, framing, lengthFieldBytes, maxFrameBytes, newMax,
                tls, reconnect, connectTimeoutMillis, tlsHandshakeTimeoutMillis, idleTimeoutMillis);
    }

    /** The same over TLS ({@code null}: plain); TCP only. */
    public EndpointSpec withTls(TlsSpec newTls) {
        return new EndpointSpec(name, transport, host, port, path, framing, lengthFieldBytes, maxFrameBytes,
                maxConnections, newTls, reconnect, connectTimeoutMillis, tlsHandshakeTimeoutMillis, idleTimeoutMillis);
    }

    /** The same client keeping connecting as {@code newReconnect} says ({@code null}: connecting once). */
    public EndpointSpec withReconnect(Reconnect newReconnect) {
        return new EndpointSpec(name, transport, host, port, path, framing, lengthFieldBytes, maxFrameBytes,
                maxConnections, tls, newReconnect, connectTimeoutMillis, tlsHandshakeTimeoutMillis, idleTimeoutMillis);
    }

    /** The same client waiting {@code newMillis} for a connection (1 to {@link #MAX_TIMEOUT_MILLIS}). */
    public EndpointSpec withConnectTimeoutMillis(int newMillis) {
        return new EndpointSpec(name, transport, host, port, path, framing, lengthFieldBytes, maxFrameBytes,
                maxConnections, tls, reconnect, newMillis, tlsHandshakeTimeoutMillis, idleTimeoutMillis);
    }

    /** The same with TLS handshakes taking at most {@code newMillis} (1 to {@link #MAX_TIMEOUT_MILLIS}). */
    public EndpointSpec withTlsHandshakeTimeoutMillis(int newMillis) {
        return new EndpointSpec(name, transport, host, port, path, framing, lengthFieldBytes, maxFrameBytes,
                maxConnections, tls, reconnect, connectTimeoutMillis, newMillis, idleTimeoutMillis);
    }

    /**
     * The same with connections closed once nothing was read or written for {@code newMillis}
     * ({@link #NO_IDLE_TIMEOUT}: never); a server gives it to the connections it accepts from then on.
     */
    public EndpointSpec withIdleTimeoutMillis(int newMillis) {
        return new EndpointSpec(name, transport, host, port, path, framing, lengthFieldBytes, maxFrameBytes,
                maxConnections, tls, reconnect, connectTimeoutMillis, tlsHandshakeTimeoutMillis, newMillis);
    }

    /**
     * @throws IllegalArgumentException naming the endpoint and the key, if {@code millis} is not in
     *     1..{@link #MAX_TIMEOUT_MILLIS}
     */
    private static void checkTimeout(String name, String key, int millis) {
        if (millis < 1 || millis > MAX_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("endpoint " + name + ": " + key + " " + millis + " is not in 1.."
                    + MAX_TIMEOUT_MILLIS + " (10 minutes)");
        }
    }

    /** host:port, or the socket path. */
    public String address() {
        return transport.isDomainSocket() ? path : host + ":" + port;
    }
}
