package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.net.testing.TestKeys;
import io.msf.protocol.api.ErrorCode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client over TLS to a (fake) agent with key material made for the test. */
class TlsTest extends ClientTestBase {

    @TempDir
    static Path keyDir;
    static TestKeys keys;

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = TestKeys.in(keyDir);
    }

    private ClientOptions.Builder tlsOptions() {
        return options().tlsTrustStore(keys.serverTrust, TestKeys.PASSWORD.toCharArray());
    }

    @Test
    void requestsAndRepliesGoOverTls() throws Exception {
        agent.tls = TestKeys.server(keys.server);

        ConnectedClient client = connect(tlsOptions().name("secure"));

        assertThat(textOf(client.request(Address.name(FakeAgent.ECHO), 1, text("over tls"), SECONDS_5)))
                .isEqualTo("over tls");
        assertThat(agent.connections).singleElement()
                .satisfies(channel -> assertThat(channel.pipeline().names()).startsWith("tls"));
    }

    @Test
    void reconnectsOverTlsAndRegistersAgain() throws Exception {
        agent.tls = TestKeys.server(keys.server);
        ConnectedClient client = connect(options().tls(TestKeys.trusting(keys.serverTrust)).name("secure"));
        Queue<ConnectionState> states = states(client);

        agent.dropConnections();
        await().until(() -> states.contains(ConnectionState.CONNECTED));

        assertThat(List.copyOf(agent.hellos)).hasSize(2).last().satisfies(hello -> assertThat(hello.replace()).isTrue());
        assertThat(textOf(client.request(Address.name(FakeAgent.ECHO), 1, text("again"), SECONDS_5)))
                .isEqualTo("again");
    }

    @Test
    void anUntrustedAgentIsRefusedAtOnce() throws Exception {
        agent.tls = TestKeys.server(keys.stranger);

        // The TLS failure itself, not "could not register ... within 30000 ms" after the connect patience.
        assertThatThrownBy(() -> connect(tlsOptions().connectTimeout(Duration.ofSeconds(30))))
                .isInstanceOf(AgentException.class)
                .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.PEER_OFFLINE))
                .hasMessageStartingWith("PEER_OFFLINE: TLS with the agent at 127.0.0.1:" + agent.port() + " failed: ")
                .hasMessageContaining("PKIX path building failed") // after the TLS alert's name on Java 25
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("within"));
        assertThat(agent.hellos).isEmpty();
    }

    @Test
    void aHandshakeTheAgentNeverAnswersFailsAfterTheHandshakeTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ClientOptions.Builder options = ClientOptions.builder().tcp("127.0.0.1", silent.getLocalPort())
                    .tls(TestKeys.trusting(keys.serverTrust)).connectTimeout(Duration.ofSeconds(30))
                    .tlsHandshakeTimeout(Duration.ofMillis(300));
            long start = System.nanoTime();

            // Accepted by the kernel, never a byte back: the handshake's own timeout, not the 30 s connect patience.
            assertThatThrownBy(() -> connect(options))
                    .isInstanceOf(AgentException.class)
                    .hasMessageContaining("handshake timed out after 300ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aHandshakeTimeoutMustBePositive() {
        assertThatThrownBy(() -> ClientOptions.builder().tlsHandshakeTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tlsHandshakeTimeout");
        assertThat(ClientOptions.builder().tcp("127.0.0.1", 7420).build().tlsHandshakeTimeout())
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theCertificateMustNameTheHost() throws Exception {
        // Trusted, but issued to CN=msf-test-client with no subject alternative names: not to 127.0.0.1.
        agent.tls = TestKeys.server(keys.client);

        assertThatThrownBy(() -> connect(options().tlsTrustStore(keys.clientTrust, TestKeys.PASSWORD.toCharArray())))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("No subject alternative names");
        assertThat(agent.hellos).isEmpty();
    }

    @Test
    void aPlainAgentIsNamedAsSuch() {
        assertThatThrownBy(() -> connect(tlsOptions()))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("the agent does not speak TLS");
    }

    @Test
    void aUnixSocketStaysPlain() {
        ClientOptions.Builder unix = ClientOptions.builder().unixSocket(keyDir.resolve("agent.sock"))
                .tlsTrustStore(keys.serverTrust, TestKeys.PASSWORD.toCharArray());

        assertThatThrownBy(unix::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS is for the agent's TCP port; its Unix domain socket " + keyDir.resolve("agent.sock")
                        + " is owner-only and stays plain");
    }

    @Test
    void anUnreadableTrustStoreIsNamed() {
        assertThatThrownBy(() -> ClientOptions.builder().tlsTrustStore(keys.serverTrust, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS trust store " + keys.serverTrust + " cannot be read as PKCS12: wrong password");
        assertThatThrownBy(() -> ClientOptions.builder().tlsTrustStore(keyDir.resolve("none.p12"), new char[0]))
                .hasMessage("TLS trust store " + keyDir.resolve("none.p12") + " does not exist");
    }
}
