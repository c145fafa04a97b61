package io.msf.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.msf.net.api.ChannelSetup;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.NetworkService;
import io.msf.net.api.TlsSpec;
import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/** The tls* keys of msf.agent: what the TCP listener is opened with, and what is refused. */
class ListenersTlsTest {

    private static final Path KEYS = Path.of("/etc/msf/agent.p12");
    private static final Path CLIENTS = Path.of("/etc/msf/clients.p12");

    private final Logger log = mock(Logger.class);
    private final Network network = new Network();
    private final Listeners listeners = new Listeners(network, (channel, spec) -> { }, log);

    /** Keeps the specs opened and closed; refuses key stores named "unreadable". */
    private static final class Network implements NetworkService {
        final List<EndpointSpec> open = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        @Override
        public Endpoint open(EndpointSpec spec, ChannelSetup setup) {
            if (spec.tls() != null && spec.tls().keyStore().toString().contains("unreadable")) {
                throw new IllegalArgumentException("endpoint 'agent-tcp': tlsKeyStorePassword: wrong password for "
                        + spec.tls().keyStore());
            }
            open.add(spec);
            events.add("open " + spec.name() + (spec.tls() == null ? "" : " tls"));
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
                    open.remove(spec);
                    events.add("close " + spec.name() + (spec.tls() == null ? "" : " tls"));
                }
            };
        }

        @Override
        public List<EndpointInfo> endpoints() {
            return List.of();
        }

        EndpointSpec tcp() {
            return open.stream().filter(s -> s.name().equals(ListenerSettings.TCP_ENDPOINT)).findFirst().orElse(null);
        }
    }

    private static ListenerSettings settings(Map<String, Object> values) {
        return ListenerSettings.of(TestConfigs.agent(values));
    }

    private static Map<String, Object> tls(Object... more) {
        Map<String, Object> values = new HashMap<>(Map.of("tls", true, "tlsKeyStore", KEYS.toString(),
                "tlsKeyStorePassword", "secret"));
        for (int i = 0; i < more.length; i += 2) {
            values.put((String) more[i], more[i + 1]);
        }
        return values;
    }

    @Test
    void tlsIsTheTcpListenersOnly() {
        listeners.apply(settings(tls()));

        assertThat(network.tcp().tls()).isEqualTo(new TlsSpec(KEYS, "secret", null, "", TlsSpec.ClientAuth.NONE, null));
        assertThat(network.open).filteredOn(s -> s.name().equals(ListenerSettings.UDS_ENDPOINT))
                .singleElement().extracting(EndpointSpec::tls).isNull();
    }

    @Test
    void tlsKeysThatCannotWorkKeepTheTcpListenerAsItWas() {
        listeners.apply(settings(Map.of()));
        network.events.clear();

        listeners.apply(settings(Map.of("tls", true)));

        assertThat(network.events).isEmpty();
        verify(log).error(anyString(), eq("tlsKeyStore: missing; tls=true needs the PKCS12 file with the agent's key"),
                eq("127.0.0.1:7420"));
    }

    @Test
    void tlsKeysThatCannotWorkAtTheStartOpenNoTcp() {
        listeners.apply(settings(tls("tlsKeyStore", "agent.p12")));

        assertThat(network.tcp()).isNull();
        verify(log).error(anyString(), contains("tlsKeyStore: 'agent.p12' is not an absolute path"));
    }

    @Test
    void anUnreadableKeyStoreReopensTheOldListener() {
        listeners.apply(settings(tls()));
        network.events.clear();

        listeners.apply(settings(tls("tlsKeyStore", "/etc/msf/unreadable.p12")));

        assertThat(network.events).containsExactly("close agent-tcp tls", "open agent-tcp tls");
        assertThat(network.tcp().tls().keyStore()).isEqualTo(KEYS);
        verify(log).error(anyString(), any(), eq("tcpHost/tcpPort/tls*"), contains("tlsKeyStorePassword"));
    }

    @Test
    void clientAuthenticationNeedsATrustStoreAndAValue() {
        listeners.apply(settings(tls("tlsClientAuth", "require")));
        verify(log).error(anyString(), eq("tlsTrustStore: missing; tlsClientAuth=require checks client certificates"
                + " against it"));

        listeners.apply(settings(tls("tlsClientAuth", "sometimes", "tlsTrustStore", CLIENTS.toString())));
        verify(log).error(anyString(), eq("tlsClientAuth: 'sometimes' is not one of none, optional, require"));
        assertThat(network.tcp()).isNull();
    }

    @Test
    void beyondLoopbackTlsAloneIsNoAuthenticationButClientCertificatesAre() {
        listeners.apply(settings(tls("tcpHost", "0.0.0.0", "unixSocket", false)));
        assertThat(network.tcp()).isNull();
        verify(log).error(anyString(), contains("requires a token"));

        listeners.apply(settings(tls("tcpHost", "0.0.0.0", "unixSocket", false, "tlsClientAuth", "require",
                "tlsTrustStore", CLIENTS.toString())));

        assertThat(network.tcp().tls().clientAuth()).isEqualTo(TlsSpec.ClientAuth.REQUIRE);
        assertThat(network.tcp().tls().trustStore()).isEqualTo(CLIENTS);
    }

    @Test
    void settingsDoNotShowPasswords() {
        assertThat(settings(tls()).toString()).doesNotContain("secret");
    }
}
