package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.AgentClients;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Java client reconnecting to the real broker, whose connection the agent dropped. */
class ClientReconnectTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();
    private ConnectedClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    /**
     * The agent refuses a claim in the range it assigns from (docs/protocol.md section 6): a client
     * that offered its old assigned id again was refused once, DUPLICATE_ID, on every reconnect.
     */
    @Test
    void aClientWithAnAssignedIdRegistersAgainForANewOneWithoutBeingRefused() {
        client = AgentClients.connect(ClientOptions.builder()
                .unixSocket(((UnixDomainSocketAddress) agent.udsAddress()).getPath()).name("anon")
                .connectTimeout(TEN_SECONDS).reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build());
        Queue<ConnectionState> states = new ConcurrentLinkedQueue<>();
        client.onStateChange(states::add);
        int first = client.id();

        ((SocketPeer) agent.broker.registry.directory().byId(first)).close();
        await().atMost(TEN_SECONDS).until(() -> states.contains(ConnectionState.CONNECTED));

        assertThat(agent.broker.totals().refused()).isZero();
        assertThat(client.id()).isNotEqualTo(first);
        assertThat(agent.broker.resolve("anon", 0).id).isEqualTo(client.id());
        assertThat(states).containsExactly(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
    }
}
