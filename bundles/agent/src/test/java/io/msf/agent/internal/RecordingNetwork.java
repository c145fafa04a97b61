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

/** Records what the agent opens and closes; refuses the ports in {@link #busy}. */
final class RecordingNetwork implements NetworkService {

    final List<String> events = new ArrayList<>();
    final List<Integer> busy = new ArrayList<>();

    @Override
    public Endpoint open(EndpointSpec spec, ChannelSetup setup) {
        if (busy.contains(spec.port())) {
            throw new UncheckedIOException(new IOException("cannot bind " + spec.address() + ": in use"));
        }
        events.add("open " + spec.name() + " " + spec.address() + " " + spec.framing());
        return new Endpoint() {
            @Override
            public EndpointSpec spec() {
                return spec;
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
                events.add("close " + spec.name() + " " + spec.address());
            }
        };
    }

    @Override
    public List<EndpointInfo> endpoints() {
        return List.of();
    }
}
