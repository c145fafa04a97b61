package io.msf.agent.internal.uplink;

import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.net.api.EndpointSpec;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Protocol;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Where the parent container's agent is, the token it wants, and the trust store its TLS
 * certificate is checked against.
 *
 * @param address a Unix domain socket or a TCP address
 * @param text the address as configured, for log lines and {@code agent:peers}
 * @param token the parent's shared secret; empty: none
 * @param trustStore a PKCS12 trust store: the TCP connections to the parent speak TLS; null: plain
 * @param trustStorePassword the trust store's password; empty: none
 * @param maxExports how many local names and ids are registered in the parent at most
 * @param connectTimeoutMillis how long one attempt to connect to the parent and register there may take
 * @param tlsHandshakeTimeoutMillis how long the TLS handshake of a connection to the parent may take
 */
public record UplinkSettings(SocketAddress address, String text, String token, Path trustStore,
        String trustStorePassword, int maxExports, int connectTimeoutMillis, int tlsHandshakeTimeoutMillis) {

    /** The default of the key {@code maxExports}: each export is one connection to the parent. */
    public static final int DEFAULT_MAX_EXPORTS = 64;
    /** The key of the connect timeout: as a net endpoint's, with the same default and bounds. */
    public static final String CONNECT_TIMEOUT_KEY = "parentConnectTimeoutMillis";
    /** The key of the TLS handshake timeout: as a net endpoint's, with the same default and bounds. */
    public static final String TLS_HANDSHAKE_TIMEOUT_KEY = "parentTlsHandshakeTimeoutMillis";

    private static final String TCP = "tcp://";

    public UplinkSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(trustStorePassword, "trustStorePassword");
        if (maxExports < 0) {
            throw new IllegalArgumentException("maxExports " + maxExports + " is negative");
        }
        checkTimeout(CONNECT_TIMEOUT_KEY, connectTimeoutMillis);
        checkTimeout(TLS_HANDSHAKE_TIMEOUT_KEY, tlsHandshakeTimeoutMillis);
    }

    /** With the default timeouts. */
    public UplinkSettings(SocketAddress address, String text, String token, Path trustStore,
            String trustStorePassword, int maxExports) {
        this(address, text, token, trustStore, trustStorePassword, maxExports,
                EndpointSpec.DEFAULT_CONNECT_TIMEOUT_MILLIS, EndpointSpec.DEFAULT_TLS_HANDSHAKE_TIMEOUT_MILLIS);
    }

    /**
     * Why the parent refused a connection, with the key to set when it is about the token: the
     * supervisor passes a child container the parent's socket, not its token, so a parent whose agent
     * wants one refused every child that was not given it (the key {@code parentToken}) with a
     * sentence naming no key of the child's.
     */
    String refusal(AgentException refused) {
        String why = refused.getMessage();
        if (refused.code() != ErrorCode.UNAUTHORIZED || !why.contains("token")) {
            return why;
        }
        return why + (token.isEmpty() ? "; set the key parentToken of msf.agent to the parent's token"
                : "; the key parentToken of msf.agent is not the parent's token");
    }

    /** Plain, as over the owner-only Unix socket or loopback TCP. */
    public UplinkSettings(SocketAddress address, String text, String token) {
        this(address, text, token, null, "", DEFAULT_MAX_EXPORTS);
    }

    /** Neither trust store nor token. */
    public static UplinkSettings of(String parent, String inherited, String token, Path ownSocket) {
        return of(parent, inherited, token, "", "", DEFAULT_MAX_EXPORTS, ownSocket);
    }

    /** With the default timeouts. */
    public static UplinkSettings of(String parent, String inherited, String token, String trustStore,
            String trustStorePassword, int maxExports, Path ownSocket) {
        return of(parent, inherited, token, trustStore, trustStorePassword, maxExports,
                EndpointSpec.DEFAULT_CONNECT_TIMEOUT_MILLIS, EndpointSpec.DEFAULT_TLS_HANDSHAKE_TIMEOUT_MILLIS,
                ownSocket);
    }

    /**
     * Reads the configuration: the key {@code parent}, else the framework property the supervisor
     * sets for a child container. TLS is used whenever {@code parentTlsTrustStore} is set.
     *
     * @param parent the key {@code parent}; empty: use {@code inherited}
     * @param inherited the property {@code msf.agent.parent}, or null
     * @param token the key {@code parentToken}
     * @param trustStore the key {@code parentTlsTrustStore}; empty: plain
     * @param trustStorePassword the key {@code parentTlsTrustStorePassword}
     * @param maxExports the key {@code maxExports}
     * @param connectTimeoutMillis the key {@value #CONNECT_TIMEOUT_KEY}
     * @param tlsHandshakeTimeoutMillis the key {@value #TLS_HANDSHAKE_TIMEOUT_KEY}
     * @param ownSocket this container's own agent socket, which must not be its parent
     * @return null when there is no parent
     * @throws IllegalArgumentException saying what is wrong, with the key
     */
    public static UplinkSettings of(String parent, String inherited, String token, String trustStore,
            String trustStorePassword, int maxExports, int connectTimeoutMillis, int tlsHandshakeTimeoutMillis,
            Path ownSocket) {
        String value = parent.trim().isEmpty() ? Objects.toString(inherited, "").trim() : parent.trim();
        if (value.isEmpty()) {
            return null;
        }
        int tokenBytes = token.getBytes(StandardCharsets.UTF_8).length;
        if (tokenBytes > Protocol.MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException("parentToken has " + tokenBytes + " UTF-8 bytes, more than the "
                    + Protocol.MAX_TOKEN_BYTES + " a HELLO carries");
        }
        Path trust = trustStore.trim().isEmpty() ? null : Path.of(trustStore.trim());
        if (value.startsWith(TCP)) {
            InetSocketAddress tcp = tcp(value);
            if (trust == null && (tcp.isUnresolved() || !tcp.getAddress().isLoopbackAddress())) {
                throw new IllegalArgumentException("parent " + value + " is not a loopback address: set"
                        + " parentTlsTrustStore (the parent's tls=true), or the parentToken and every message would"
                        + " cross the network in clear");
            }
            UplinkSettings settings = new UplinkSettings(tcp, value, token, trust, trustStorePassword, maxExports,
                    connectTimeoutMillis, tlsHandshakeTimeoutMillis);
            if (trust != null) {
                settings.tls();   // a trust store that cannot be read is a configuration error: say so now
            }
            return settings;
        }
        if (trust != null) {
            throw new IllegalArgumentException("parentTlsTrustStore is set but parent " + value + " is a Unix socket,"
                    + " which is owner-only and stays plain; TLS needs a tcp://host:port parent");
        }
        Path given = Path.of(value);
        if (!given.isAbsolute()) {
            throw new IllegalArgumentException("parent '" + value + "' is a relative path: give the absolute path of"
                    + " the parent's agent socket, or tcp://host:port");
        }
        Path socket = given.normalize();
        if (ownSocket != null && socket.equals(ownSocket.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("parent " + value + " is this container's own agent socket");
        }
        return new UplinkSettings(UnixDomainSocketAddress.of(socket), "unix " + socket, token, null, "", maxExports,
                connectTimeoutMillis, tlsHandshakeTimeoutMillis);
    }

    /** The bounds of a net endpoint's connect and TLS handshake timeouts: 1 ms to 10 minutes. */
    private static void checkTimeout(String key, int millis) {
        if (millis < 1 || millis > EndpointSpec.MAX_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException(key + " " + millis + " is not in 1.." + EndpointSpec.MAX_TIMEOUT_MILLIS
                    + " (10 minutes)");
        }
    }

    private static InetSocketAddress tcp(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("parent '" + value + "' is not tcp://host:port: " + e.getMessage(), e);
        }
        if (uri.getHost() == null || uri.getPort() < 1 || (uri.getPath() != null && !uri.getPath().isEmpty())) {
            throw new IllegalArgumentException("parent '" + value + "' is not tcp://host:port");
        }
        // A URI takes any number of digits for the port; the socket address would refuse it naming nothing.
        if (uri.getPort() > 65535) {
            throw new IllegalArgumentException("parent '" + value + "' is not tcp://host:port (a port from 1 to 65535)");
        }
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    /**
     * The TLS context trusting {@link #trustStore}, or null for a plain connection.
     *
     * @throws IllegalArgumentException naming parentTlsTrustStore if the file cannot be used
     */
    public SSLContext tls() {
        if (trustStore == null) {
            return null;
        }
        InetSocketAddress tcp = (InetSocketAddress) address;
        try {
            return ClientOptions.builder().tcp(tcp.getHostString(), tcp.getPort())
                    .tlsTrustStore(trustStore, trustStorePassword.toCharArray()).build().tls();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parentTlsTrustStore: " + e.getMessage(), e);
        }
    }

    /** Never shows the token or the password. */
    @Override
    public String toString() {
        return text + (trustStore == null ? "" : " (TLS, trusting " + trustStore + ")")
                + (token.isEmpty() ? "" : " (with a token)");
    }
}
