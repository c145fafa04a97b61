package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * The agent refuses a HELLO that came after its hello timeout (UNAUTHORIZED "no HELLO within ...
 * ms"): a busy agent or network, not a wrong client. On a reconnect the client tries again, as after
 * any lost connection; on the first connect the refusal is the answer, as every refusal is there.
 */
class LateHelloTest extends ClientTestBase {

    @Test
    void aLateHelloOnAReconnectIsTriedAgain() {
        ConnectedClient client = connect(options().name("late"));
        Queue<ConnectionState> states = states(client);

        agent.lateHellos.set(2);
        agent.dropConnections();
        await().until(() -> states.contains(ConnectionState.CONNECTED) || states.contains(ConnectionState.CLOSED));

        assertThat(states).containsExactly(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
        assertThat(agent.hellos).hasSize(4); // the first, two refused as late, the one taken
        assertThat(errors).noneMatch(e -> e.code() == ErrorCode.UNAUTHORIZED);
    }

    @Test
    void aLateHelloOnTheFirstConnectIsTheAnswer() {
        agent.lateHellos.set(1);

        AgentException e = catchThrowableOfType(AgentException.class, () -> connect(options().name("late")));

        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e.getMessage()).contains("refused the registration: no HELLO within 100 ms");
    }
}
