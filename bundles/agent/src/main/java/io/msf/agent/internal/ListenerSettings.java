package io.msf.agent.internal;

import io.msf.agent.internal.broker.BrokerSettings;
import io.msf.client.api.ClientOptions;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Framing;
import io.msf.net.api.NetTransport;
import io.msf.net.api.TlsSpec;
import io.msf.protocol.api.Protocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Where the agent listens, as far as the configuration allows it.
 *
 * @param unixSocket listen on the Unix domain socket
 * @param tcpHost the TCP listener's address
 * @param tcpPort its port: 0 ephemeral, -1 no TCP
 * @param hasToken whether a token is configured
 * @param maxFrameBytes shown by {@code net:list} (as when the listener opened); the codec enforces it
 * @param maxConnections per listener
 * @param tls TLS for the TCP listener, or null: plain
 * @param tlsProblem why the tls keys cannot be used (a wrong value, or a store that cannot be read), or null
 */
record ListenerSettings(boolean unixSocket, String tcpHost, int tcpPort, boolean hasToken, int maxFrameBytes,
        int maxConnections, TlsSpec tls, String tlsProblem) {

    static final String UDS_ENDPOINT = "agent-uds";
    static final String TCP_ENDPOINT = "agent-tcp";
    /** The largest port, and with -1 (no TCP) the bounds of tcpPort. */
    static final int LARGEST_PORT = 65535;
    /** The most connections a listener may be given. */
    static final int MOST_CONNECTIONS = 100_000;

    /**
     * @throws IllegalArgumentException naming the key: a value the config gate would refuse (set past it,
     *     through Config Admin directly), found here before anything is closed, and not as the network
     *     service's endpoint is made from it, by then with the Unix socket open and the agent half-changed
     */
    static ListenerSettings of(AgentConfiguration config) {
        BrokerSettings.within("tcpPort", config.tcpPort(), -1, LARGEST_PORT);
        BrokerSettings.within("maxConnections", config.maxConnections(), 1, MOST_CONNECTIONS);
        BrokerSettings.within("maxFrameBytes", config.maxFrameBytes(), Protocol.SMALLEST_FRAME_LIMIT,
                BrokerSettings.LARGEST_FRAME_LIMIT);
        TlsSpec tls = null;
        String tlsProblem = null;
        if (config.tls()) {
            try {
                tls = TlsSpec.fromConfiguration(config.tlsKeyStore(), config.tlsKeyStorePassword(),
                        config.tlsTrustStore(), config.tlsTrustStorePassword(), config.tlsClientAuth(), true);
                // Read the key material now, before a listener is closed for it: a wrong password keeps the old one.
                tls.check();
            } catch (IllegalArgumentException e) {
                tlsProblem = e.getMessage();
            }
        }
        return new ListenerSettings(config.unixSocket(), config.tcpHost().trim(), config.tcpPort(),
                !config.token().isEmpty(), config.maxFrameBytes(), config.maxConnections(), tls, tlsProblem);
    }

    /** The Unix socket endpoint, or null if off. The net bundle resolves the file against msf.data. */
    EndpointSpec unixSpec() {
        return unixSocket ? new EndpointSpec(UDS_ENDPOINT, NetTransport.UDS_SERVER, null, 0, ClientOptions.SOCKET_FILE,
                Framing.NONE, 4, maxFrameBytes, maxConnections) : null;
    }

    /** The TCP endpoint, or null if off. */
    EndpointSpec tcpSpec() {
        return tcpPort < 0 ? null : new EndpointSpec(TCP_ENDPOINT, NetTransport.TCP_SERVER, tcpHost, tcpPort, null,
                Framing.NONE, 4, maxFrameBytes, maxConnections, tls);
    }

    /**
     * Why TCP must not be opened as configured, or null: unusable tls keys, or an address beyond
     * loopback without a token (or TLS client certificates, which authenticate as well).
     */
    String tcpRefusal() {
        if (tcpPort < 0) {
            return null;
        }
        if (tlsProblem != null) {
            return tlsProblem;
        }
        boolean loopback;
        try {
            loopback = onLoopback();
        } catch (UnknownHostException e) {
            return "tcpHost '" + tcpHost + "' does not resolve: " + e.getMessage();
        }
        return guarded(loopback, hasToken, asksForCertificates()) ? null : "tcpHost " + unguarded(tcpHost);
    }

    /**
     * Whether a TCP listener lets in only whom it should: it is on loopback, has a token to check, or asks
     * for TLS client certificates, which authenticate as a token does. The one rule of the agent and of the
     * config gate ({@link AgentCheck}), each reading the keys as it has them: typed here, raw there.
     */
    static boolean guarded(boolean onLoopback, boolean hasToken, boolean asksForCertificates) {
        return onLoopback || hasToken || asksForCertificates;
    }

    /**
     * Why a TCP listener on {@code host}, not loopback, is refused without a token or client certificates:
     * told by the agent, and by the config gate of a file that writes the host as an address ({@link AgentCheck}).
     */
    static String unguarded(String host) {
        return host + " is not a loopback address, so the agent requires a token: set the key 'token'"
                + " (and reach it through TLS (tls=true) or a tunnel, since plain TCP carries the token in clear), or"
                + " TLS client certificates (tls=true, tlsClientAuth=require)";
    }

    /**
     * Whether a TCP listener opened from these settings still lets in only whom it should once
     * {@code next} is in force, its token the one the broker checks: it is on loopback, asks for
     * client certificates, or {@code next} has a token.
     */
    boolean tcpGuardedUnder(ListenerSettings next) {
        boolean loopback;
        try {
            loopback = onLoopback();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        return guarded(loopback, next.hasToken, asksForCertificates());
    }

    private boolean onLoopback() throws UnknownHostException {
        return InetAddress.getByName(tcpHost).isLoopbackAddress();
    }

    /** TLS client certificates authenticate as a token does. */
    private boolean asksForCertificates() {
        return tls != null && tls.clientAuth() == TlsSpec.ClientAuth.REQUIRE;
    }

    /**
     * The limits aside, so that a new one needs no reopening, which would close every connection:
     * the endpoints frame nothing (Framing.NONE), the agent's codec takes the frame limit from the
     * broker's settings as each connection starts, and the network service changes a listener's
     * connection limit live ({@link Listeners}).
     */
    boolean sameUnix(ListenerSettings other) {
        return other != null && Objects.equals(unixSpec(), other.withLimits(maxFrameBytes, maxConnections).unixSpec());
    }

    /** The limits aside, as for {@link #sameUnix}. */
    boolean sameTcp(ListenerSettings other) {
        return other != null && Objects.equals(tcpSpec(), other.withLimits(maxFrameBytes, maxConnections).tcpSpec())
                && hasToken == other.hasToken && Objects.equals(tlsProblem, other.tlsProblem);
    }

    private ListenerSettings withLimits(int frameBytes, int connections) {
        return new ListenerSettings(unixSocket, tcpHost, tcpPort, hasToken, frameBytes, connections, tls, tlsProblem);
    }
}
