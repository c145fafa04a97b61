package io.msf.agent.internal;

import io.msf.net.api.ChannelSetup;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.NetworkService;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what the agent opens and closes; refuses the ports in {@link #busy}, TLS key material
 * that cannot be read, and a second endpoint of a name, as the real network service does.
 */
final class RecordingNetwork implements NetworkService {

    final List<String> events = new ArrayList<>();
    final List<Integer> busy = new ArrayList<>();
    /** Addresses (host:port) refused likewise, whatever else listens on their port. */
    final List<String> busyAt = new ArrayList<>();
    /** If set, opening a Unix socket fails with this message, as a path the network service refuses does. */
    String failUnix;
    /** The endpoints open now. */
    final List<EndpointSpec> open = new ArrayList<>();

    @Override
    public Endpoint open(EndpointSpec spec, ChannelSetup setup) {
        if (spec.tls() != null) {
            spec.tls().check();
        }
        if (failUnix != null && spec.path() != null) {
            throw new IllegalArgumentException(failUnix);
        }
        if (open.stream().anyMatch(other -> other.name().equals(spec.name()))) {
            // as the network service's own: one endpoint of a name per bundle
            throw new IllegalArgumentException("already has an endpoint named '" + spec.name() + "'");
        }
        if (busy.contains(spec.port()) || busyAt.contains(spec.address())) {
            // as the network service's own: its message names the address and says why
            String message = "cannot bind " + spec.address() + ": in use";
            throw new UncheckedIOException(message, new IOException(message));
        }
        open.add(spec);
        events.add("open " + spec.name() + " " + spec.address() + " " + spec.framing() + tls(spec));
        return new Endpoint() {
            private EndpointSpec current = spec;

            @Override
            public EndpointSpec spec() {
                return current;
            }

            @Override
            public void limitConnections(int maxConnections) {
                current = current.withMaxConnections(maxConnections);
                events.add("limit " + spec.name() + " " + maxConnections);
            }

            @Override
            public SocketAddress localAddress() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Channel channel() {
                throw new UnsupportedOperationException();
            }

            @Override
            public EndpointInfo info() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
                open.remove(spec);
                events.add("close " + spec.name() + " " + spec.address() + tls(spec));
            }
        };
    }

    /** The agent's TCP listener, if open. */
    EndpointSpec tcp() {
        return open.stream().filter(s -> s.name().equals(ListenerSettings.TCP_ENDPOINT)).findFirst().orElse(null);
    }

    private static String tls(EndpointSpec spec) {
        return spec.tls() == null ? "" : " tls";
    }

    @Override
    public List<EndpointInfo> endpoints() {
        return List.of();
    }
}
