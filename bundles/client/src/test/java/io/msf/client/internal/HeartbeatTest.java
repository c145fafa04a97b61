package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import java.time.Duration;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** Heartbeats both ways, and a silent agent taken for dead. */
class HeartbeatTest extends ClientTestBase {

    @Test
    void theAgentsPingsAreAnsweredWithTheirSequence() {
        agent.heartbeatMillis = 20;

        connect(options());

        await().untilAsserted(() -> assertThat(agent.pongs).hasSizeGreaterThanOrEqualTo(3)
                .startsWith(1L, 2L, 3L));
    }

    @Test
    void theClientPingsTheAgentAtItsInterval() {
        connect(options().heartbeat(Duration.ofMillis(20)));

        await().untilAsserted(() -> assertThat(agent.pings).hasValueGreaterThanOrEqualTo(3));
    }

    @Test
    void anAgentThatFallsSilentIsTakenForDeadAndReconnectedTo() {
        ConnectedClient client = connect(options().heartbeat(Duration.ofMillis(30)).connectTimeout(Duration.ofMillis(500)));
        Queue<ConnectionState> states = states(client);

        agent.silent = true;
        await().until(() -> client.state() == ConnectionState.RECONNECTING);
        agent.silent = false;

        await().until(() -> client.state() == ConnectionState.CONNECTED);
        assertThat(states).startsWith(ConnectionState.RECONNECTING).endsWith(ConnectionState.CONNECTED);
    }
}
