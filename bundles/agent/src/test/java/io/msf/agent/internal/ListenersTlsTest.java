package io.msf.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.msf.net.api.EndpointSpec;
import io.msf.net.api.TlsSpec;
import io.msf.net.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

/** The tls* keys of msf.agent: what the TCP listener is opened with, and what is refused. */
class ListenersTlsTest {

    @TempDir
    static Path dir;
    static TestKeys keys;

    private final Logger log = mock(Logger.class);
    private final RecordingNetwork network = new RecordingNetwork();
    private final Listeners listeners = new Listeners(network, (channel, spec) -> { }, log);

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = TestKeys.in(dir);
    }

    /**
     * Keeps the specs opened and closed; reads the key material as the network service does, and
     * refuses the ports in {@link #busy}. Closing an endpoint closes its connections.
     */
    private static ListenerSettings settings(Map<String, Object> values) {
        return ListenerSettings.of(TestConfigs.agentWithTcp(values));
    }

    private static Map<String, Object> tls(Object... more) {
        Map<String, Object> values = new HashMap<>(Map.of("tls", true, "tlsKeyStore", keys.server.toString(),
                "tlsKeyStorePassword", TestKeys.PASSWORD));
        for (int i = 0; i < more.length; i += 2) {
            values.put((String) more[i], more[i + 1]);
        }
        return values;
    }

    @Test
    void tlsIsTheTcpListenersOnly() {
        listeners.apply(settings(tls()));

        assertThat(network.tcp().tls()).isEqualTo(TlsSpec.server(keys.server, TestKeys.PASSWORD));
        assertThat(network.open).filteredOn(s -> s.name().equals(ListenerSettings.UDS_ENDPOINT))
                .singleElement().extracting(EndpointSpec::tls).isNull();
    }

    @Test
    void tlsKeysThatCannotWorkKeepTheTcpListenerAsItWas() {
        listeners.apply(settings(Map.of()));
        network.events.clear();

        listeners.apply(settings(Map.of("tls", true)));

        assertThat(network.events).isEmpty();
        verify(log).error(anyString(), eq("tlsKeyStore: missing; a TLS server (tls=true) needs the PKCS12 file with"
                + " its key"), eq("127.0.0.1:7420"));
    }

    @Test
    void tlsKeysThatCannotWorkAtTheStartOpenNoTcp() {
        listeners.apply(settings(tls("tlsKeyStore", "agent.p12")));

        assertThat(network.tcp()).isNull();
        verify(log).error(anyString(), contains("tlsKeyStore: 'agent.p12' is not an absolute path"));
    }

    @Test
    void aWrongPasswordKeepsTheTcpListenerAndItsConnections() throws Exception {
        listeners.apply(settings(tls()));
        network.events.clear();

        listeners.apply(settings(tls("tlsKeyStorePassword", "wrong")));
        Path corrupt = Files.writeString(dir.resolve("corrupt.p12"), "not a key store");
        listeners.apply(settings(tls("tlsKeyStore", corrupt.toString())));

        assertThat(network.events).as("nothing closed: the connections stay").isEmpty();
        assertThat(network.tcp().tls()).isEqualTo(TlsSpec.server(keys.server, TestKeys.PASSWORD));
        verify(log).error(anyString(), eq("tlsKeyStorePassword: wrong password for " + keys.server), any());
        verify(log).error(anyString(), startsWith("tlsKeyStore: " + corrupt + " cannot be read as a PKCS12 store"),
                any());

        listeners.apply(settings(tls()));
        assertThat(network.events).as("the settings in effect are those it kept").isEmpty();
    }

    @Test
    void theKeptListenerIsWhatTheNextFailingChangeFallsBackTo() {
        listeners.apply(settings(tls()));
        listeners.apply(settings(tls("tlsKeyStorePassword", "wrong")));
        network.events.clear();
        network.busy.add(7421);

        listeners.apply(settings(tls("tcpPort", 7421)));

        assertThat(network.events).containsExactly("close agent-tcp 127.0.0.1:7420 tls",
                "open agent-tcp 127.0.0.1:7420 NONE tls");
        assertThat(network.tcp().port()).isEqualTo(7420);
        assertThat(network.tcp().tls()).isEqualTo(TlsSpec.server(keys.server, TestKeys.PASSWORD));
        verify(log).error(anyString(), eq("127.0.0.1:7421"), eq("tcpHost/tcpPort/tls*"), contains("in use"));
        network.events.clear();

        listeners.apply(settings(tls()));
        assertThat(network.events).as("the old settings are back in effect: nothing to do").isEmpty();
    }

    @Test
    void clientAuthenticationNeedsATrustStoreAndAValue() {
        listeners.apply(settings(tls("tlsClientAuth", "require")));
        verify(log).error(anyString(), eq("tlsTrustStore: missing; tlsClientAuth=require checks client certificates"
                + " against it"));

        listeners.apply(settings(tls("tlsClientAuth", "sometimes", "tlsTrustStore", keys.clientTrust.toString())));
        verify(log).error(anyString(), eq("tlsClientAuth: 'sometimes' is not one of none, optional, require"));
        assertThat(network.tcp()).isNull();
    }

    @Test
    void beyondLoopbackTlsAloneIsNoAuthenticationButClientCertificatesAre() {
        listeners.apply(settings(tls("tcpHost", "0.0.0.0", "unixSocket", false)));
        assertThat(network.tcp()).isNull();
        verify(log).error(anyString(), contains("requires a token"));

        listeners.apply(settings(tls("tcpHost", "0.0.0.0", "unixSocket", false, "tlsClientAuth", "require",
                "tlsTrustStore", keys.clientTrust.toString(), "tlsTrustStorePassword", TestKeys.PASSWORD)));

        assertThat(network.tcp().tls().clientAuth()).isEqualTo(TlsSpec.ClientAuth.REQUIRE);
        assertThat(network.tcp().tls().trustStore()).isEqualTo(keys.clientTrust);
    }

    /** Client certificates authenticate as a token does: no warning of a listener open to every local user. */
    @Test
    void aListenerRequiringClientCertificatesIsNotWarnedOfForWantOfAToken() {
        listeners.apply(settings(tls("tlsClientAuth", "require", "tlsTrustStore", keys.clientTrust.toString(),
                "tlsTrustStorePassword", TestKeys.PASSWORD)));
        listeners.apply(settings(tls("tcpPort", 7421)));

        assertThat(network.tcp().address()).isEqualTo("127.0.0.1:7421");
        verify(log).warn(contains("has no token"), eq("127.0.0.1:7421"));
        verify(log, never()).warn(contains("has no token"), eq("127.0.0.1:7420"));
    }

    @Test
    void settingsDoNotShowPasswords() {
        assertThat(settings(tls()).toString()).doesNotContain(TestKeys.PASSWORD);
    }
}
