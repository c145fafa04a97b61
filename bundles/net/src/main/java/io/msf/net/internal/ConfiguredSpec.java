package io.msf.net.internal;

import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Framing;
import io.msf.net.api.NetTransport;
import io.msf.net.api.Reconnect;
import io.msf.net.api.TlsSpec;
import io.msf.settings.ConfigValues;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An {@code msf.net.endpoint~<name>} configuration read into a spec and a handler name, with errors
 * that start with the key: the bare reason, which the configured endpoint logs after its PID and lists and
 * publishes where its name is given already.
 */
final class ConfiguredSpec {

    /** With its {@link EndpointSpec#reconnect} for a client that keeps connecting. */
    final EndpointSpec spec;
    final String handler;
    /** How often a TLS server looks whether its stores were replaced ({@link TlsStoreWatch}); 0: never. */
    final int tlsStoreCheckMillis;

    /** The most {@code tlsStoreCheckMillis} takes: an hour. */
    static final int MAX_STORE_CHECK_MILLIS = 3_600_000;

    private ConfiguredSpec(EndpointSpec spec, String handler, int tlsStoreCheckMillis) {
        this.spec = spec;
        this.handler = handler;
        this.tlsStoreCheckMillis = tlsStoreCheckMillis;
    }

    /** The endpoint's name: the {@code name} key, else the part of the PID after '~'. */
    static String name(String pid, EndpointConfiguration config) {
        if (config.name() != null && !config.name().isBlank()) {
            return config.name().trim();
        }
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }

    /**
     * @param socketFiles checks a Unix socket's path, which must fit once resolved
     * @throws IllegalArgumentException starting with the key that is wrong (not with the PID)
     */
    static ConfiguredSpec parse(String pid, EndpointConfiguration configured, DomainSocketFiles socketFiles) {
        EndpointConfiguration config = ConfigValues.naming(EndpointConfiguration.class, configured);
        NetTransport transport = transport(config.transport());
        Framing framing = framing(config.framing());
        String handler = config.handler() == null ? "" : config.handler().trim();
        if (handler.isEmpty()) {
            throw new IllegalArgumentException("handler: missing; name a ChannelSetup service registered"
                    + " with msf.net.handler=<name>, such as echo");
        }
        if (config.maxFrameBytes() > EndpointOpener.MAX_FRAME_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxFrameBytes: " + config.maxFrameBytes()
                    + " is larger than 64 MiB (" + EndpointOpener.MAX_FRAME_BYTES_LIMIT + ")");
        }
        checkTimeout("connectTimeoutMillis", config.connectTimeoutMillis());
        checkTimeout("tlsHandshakeTimeoutMillis", config.tlsHandshakeTimeoutMillis());
        if (config.tlsStoreCheckMillis() < 0 || config.tlsStoreCheckMillis() > MAX_STORE_CHECK_MILLIS) {
            throw new IllegalArgumentException("tlsStoreCheckMillis: " + config.tlsStoreCheckMillis() + " is not in 0.."
                    + MAX_STORE_CHECK_MILLIS + " (an hour; 0: stores are read again only on a configuration change)");
        }
        if (config.idleTimeoutMillis() < 0) {
            throw new IllegalArgumentException("idleTimeoutMillis: " + config.idleTimeoutMillis()
                    + " is negative (0: connections are never closed for being idle)");
        }
        // Checked whatever the transport: a value that is wrong now must not surprise once it is a client.
        Backoff backoff = new Backoff(config.reconnectMinMillis(), config.reconnectMaxMillis());
        String name = name(pid, config);
        EndpointSpec spec;
        try {
            spec = new EndpointSpec(name, transport, config.host(), config.port(), config.path(), framing,
                    config.lengthFieldBytes(), config.maxFrameBytes(), config.maxConnections(), tls(config, transport),
                    null, config.connectTimeoutMillis(), config.tlsHandshakeTimeoutMillis(), config.idleTimeoutMillis());
            // A path that can never be bound or connected to is refused now: a client would try it for ever.
            socketFiles.checkPath(spec);
        } catch (IllegalArgumentException e) {
            throw withoutName(name, e);
        }
        // Read the key material now: an unusable store refuses the configuration, which keeps the old endpoint.
        TlsContexts.of(spec);
        boolean reconnects = config.reconnect() && isClient(transport);
        return new ConfiguredSpec(reconnects ? spec.withReconnect(new Reconnect(backoff.minMillis(),
                backoff.maxMillis())) : spec, handler, config.tlsStoreCheckMillis());
    }

    /**
     * {@code e} without the "{@code endpoint <name>: }" that the spec and the path check start with for code
     * that opens an endpoint: a configured endpoint's errors are logged after its PID and shown where its
     * name is given already.
     */
    private static IllegalArgumentException withoutName(String name, IllegalArgumentException e) {
        String prefix = "endpoint " + name + ": ";
        String message = String.valueOf(e.getMessage());
        return message.startsWith(prefix) ? new IllegalArgumentException(message.substring(prefix.length()), e) : e;
    }

    /** Whether this is a client that keeps (re)connecting. */
    boolean reconnects() {
        return spec.reconnect() != null;
    }

    /** Whether this is a client (tcp-client, uds-client), which connects in the background, reconnecting or not. */
    boolean isClient() {
        return isClient(spec.transport());
    }

    static boolean isClient(NetTransport transport) {
        return !transport.isServer() && transport != NetTransport.UDP;
    }

    /** Whether this differs from {@code current} at most in how long a client waits between attempts. */
    boolean onlyWaitsChanged(EndpointSpec current) {
        return reconnects() && current.reconnect() != null && spec.withReconnect(current.reconnect()).equals(current);
    }

    /** Whether both bind or connect to the same place, so a server can keep its socket. */
    static boolean sameAddress(EndpointSpec a, EndpointSpec b) {
        return a.transport() == b.transport() && a.address().equals(b.address());
    }

    /**
     * Whether a UDP socket bound as {@code a} serves as {@code b} says with no change: the same address, and
     * datagrams received into buffers of the same size. The other keys (maxConnections, idleTimeoutMillis,
     * framing, the timeouts, the reconnect waits) mean nothing to UDP, and binding the socket again for them
     * would lose the datagrams waiting in it.
     */
    static boolean sameDatagramSocket(EndpointSpec a, EndpointSpec b) {
        return a.transport() == NetTransport.UDP && sameAddress(a, b) && a.maxFrameBytes() == b.maxFrameBytes();
    }

    /**
     * Whether {@code b} needs the port that {@code a} holds: a TCP server or UDP socket on the same
     * port of a host that overlaps (the same address, or a wildcard such as 0.0.0.0 on either side).
     * The kernel refuses the second bind while the first socket is open, SO_REUSEADDR or not.
     */
    static boolean sharesPort(EndpointSpec a, EndpointSpec b) {
        if (a.transport() != b.transport() || a.port() == 0 || a.port() != b.port()
                || (a.transport() != NetTransport.TCP_SERVER && a.transport() != NetTransport.UDP)) {
            return false;
        }
        try {
            InetAddress hostA = InetAddress.getByName(a.host());
            InetAddress hostB = InetAddress.getByName(b.host());
            return hostA.isAnyLocalAddress() || hostB.isAnyLocalAddress() || hostA.equals(hostB);
        } catch (UnknownHostException e) {
            // Not the old socket's doing: binding names the host.
            return false;
        }
    }

    /** The keys that moved the endpoint, for error messages: "port", "host, port", "path", "transport". */
    static String addressKeys(EndpointSpec from, EndpointSpec to) {
        List<String> keys = new ArrayList<>();
        if (from.transport() != to.transport()) {
            keys.add("transport");
        }
        if (!Objects.equals(from.host(), to.host())) {
            keys.add("host");
        }
        if (from.port() != to.port()) {
            keys.add("port");
        }
        if (!Objects.equals(from.path(), to.path())) {
            keys.add("path");
        }
        return keys.isEmpty() ? "address" : String.join(", ", keys);
    }

    /** Checked whatever the transport, as the reconnect waits: a value wrong now must not surprise later. */
    private static void checkTimeout(String key, int millis) {
        if (millis < 1 || millis > EndpointSpec.MAX_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException(key + ": " + millis + " is not in 1.."
                    + EndpointSpec.MAX_TIMEOUT_MILLIS + " (10 minutes)");
        }
    }

    /** The TLS settings, or null while {@code tls} is false (the other tls keys are then ignored). */
    private static TlsSpec tls(EndpointConfiguration config, NetTransport transport) {
        return config.tls() ? TlsSpec.fromConfiguration(config.tlsKeyStore(), config.tlsKeyStorePassword(),
                config.tlsTrustStore(), config.tlsTrustStorePassword(), config.tlsClientAuth(),
                transport == NetTransport.TCP_SERVER) : null;
    }

    static NetTransport transport(String value) {
        String key = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (NetTransport transport : NetTransport.values()) {
            if (transport.name().replace('_', '-').toLowerCase(Locale.ROOT).equals(key)) {
                return transport;
            }
        }
        throw new IllegalArgumentException("transport: '" + value
                + "' is not one of tcp-server, tcp-client, udp, uds-server, uds-client");
    }

    static Framing framing(String value) {
        String given = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (given.equals("length-field")) {
            return Framing.LENGTH_FIELD;
        }
        if (given.equals("none")) {
            return Framing.NONE;
        }
        throw new IllegalArgumentException("framing: '" + value + "' is not one of length-field, none");
    }
}
