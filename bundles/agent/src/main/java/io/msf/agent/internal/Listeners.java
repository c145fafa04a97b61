package io.msf.agent.internal;

import io.msf.net.api.ChannelSetup;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.NetworkService;
import java.io.UncheckedIOException;
import org.osgi.service.log.Logger;

/**
 * The agent's two listeners, opened through the network service. A configuration change reopens
 * only the listener whose settings changed; if the new one cannot be opened (a port in use, a
 * key store that cannot be read), the old settings are opened again and the error names the keys.
 * TLS, when configured, is the TCP listener's; the Unix socket is owner-only and stays plain.
 */
final class Listeners {

    private final NetworkService network;
    private final ChannelSetup setup;
    private final Logger log;
    private ListenerSettings current;
    private Endpoint unix;
    private Endpoint tcp;

    Listeners(NetworkService network, ChannelSetup setup, Logger log) {
        this.network = network;
        this.setup = setup;
        this.log = log;
    }

    synchronized void apply(ListenerSettings next) {
        ListenerSettings previous = current;
        if (!next.sameUnix(previous)) {
            unix = reopen(unix, next.unixSpec(), previous == null ? null : previous.unixSpec(), "unixSocket");
        }
        if (!next.sameTcp(previous)) {
            String refusal = next.tcpRefusal();
            if (refusal != null && next.tlsProblem() != null && tcp != null) {
                // Unusable tls keys are a mistake to fix, not a reason to stop serving: keep the last good listener.
                log.error("msf.agent: {}; the TCP listener on {} stays as it was", refusal, tcp.spec().address());
            } else if (refusal != null) {
                log.error("msf.agent: not listening on TCP: {}", refusal);
                close(tcp);
                tcp = null;
            } else {
                tcp = reopen(tcp, next.tcpSpec(), previous == null || previous.tcpRefusal() != null ? null
                        : previous.tcpSpec(), "tcpHost/tcpPort/tls*");
            }
        }
        current = next;
    }

    private Endpoint reopen(Endpoint open, EndpointSpec spec, EndpointSpec fallback, String keys) {
        close(open);
        if (spec == null) {
            return null;
        }
        try {
            return network.open(spec, setup);
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            log.error("msf.agent: cannot listen on {} ({}): {}", spec.address(), keys, e.getMessage());
        }
        if (fallback == null) {
            return null;
        }
        try {
            Endpoint restored = network.open(fallback, setup);
            log.warn("msf.agent: listening on {} again, as before the change", fallback.address());
            return restored;
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            log.error("msf.agent: cannot listen on {} again either: {}", fallback.address(), e.getMessage());
            return null;
        }
    }

    synchronized void close() {
        close(unix);
        close(tcp);
        unix = null;
        tcp = null;
        current = null;
    }

    private static void close(Endpoint endpoint) {
        if (endpoint != null) {
            endpoint.close();
        }
    }
}
