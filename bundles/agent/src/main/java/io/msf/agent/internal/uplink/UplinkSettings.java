package io.msf.agent.internal.uplink;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the parent container's agent is, and the token it wants.
 *
 * @param address a Unix domain socket or a TCP address
 * @param text the address as configured, for log lines and {@code agent:peers}
 * @param token the parent's shared secret; empty: none
 */
public record UplinkSettings(SocketAddress address, String text, String token) {

    private static final String TCP = "tcp://";

    public UplinkSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(token, "token");
    }

    /**
     * Reads the configuration: the key {@code parent}, else the framework property the supervisor
     * sets for a child container.
     *
     * @param parent the key {@code parent}; empty: use {@code inherited}
     * @param inherited the property {@code msf.agent.parent}, or null
     * @param ownSocket this container's own agent socket, which must not be its parent
     * @return null when there is no parent
     * @throws IllegalArgumentException saying what is wrong with the address
     */
    public static UplinkSettings of(String parent, String inherited, String token, Path ownSocket) {
        String value = parent.trim().isEmpty() ? Objects.toString(inherited, "").trim() : parent.trim();
        if (value.isEmpty()) {
            return null;
        }
        if (value.startsWith(TCP)) {
            return new UplinkSettings(tcp(value), value, token);
        }
        Path socket = Path.of(value).toAbsolutePath().normalize();
        if (ownSocket != null && socket.equals(ownSocket.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("parent " + value + " is this container's own agent socket");
        }
        return new UplinkSettings(UnixDomainSocketAddress.of(socket), "unix " + socket, token);
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
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return text + (token.isEmpty() ? "" : " (with a token)");
    }
}
