package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * An agent that breaks the protocol after the registration loses its connection, even one that has
 * stopped reading: the client's closing ERROR then never leaves, and the connection closes after the
 * codec's grace all the same. What the agent sends after the breach is not routed.
 */
class BreachTest extends ClientTestBase {

    private static final int PAYLOAD_BYTES = 256 * 1024;

    @Test
    void aBreachClosesTheConnectionEvenWhenTheAgentStoppedReading() {
        // a heartbeat far longer than the wait: only the breach can end the connection
        ConnectedClient client = connect(options().name("breached").heartbeat(Duration.ofSeconds(60)));
        Queue<ConnectionState> states = states(client);
        breachWhileTheAgentDoesNotRead(client);

        await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(ConnectionState.RECONNECTING));
        assertThat(errors).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(AgentException.class, breach -> {
            assertThat(breach.code()).isEqualTo(ErrorCode.BAD_FRAME);
            assertThat(breach.getMessage()).contains("unexpected SUBSCRIBE from the agent");
        }));
    }

    /**
     * Garbage the agent sends after its breach, read while the breach's closing ERROR waits behind what the
     * agent left unread: part of what the agent sends after the breach, not a second fault to report, nor a
     * reason in the breach's place, nor a cause to close at once without the ERROR.
     */
    @Test
    void garbageAfterTheBreachIsNotReportedAgain() {
        ConnectedClient client = connect(options().name("breached-twice").heartbeat(Duration.ofSeconds(60)));
        Queue<ConnectionState> states = states(client);
        breachWhileTheAgentDoesNotRead(client);
        await().until(() -> errors.stream().anyMatch(e -> e.code() == ErrorCode.BAD_FRAME));

        agent.sendRaw("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(ConnectionState.RECONNECTING));
        assertThat(errors.stream().filter(e -> e.code() == ErrorCode.BAD_FRAME)).singleElement()
                .satisfies(breach -> assertThat(breach).hasMessageContaining("unexpected SUBSCRIBE from the agent"));
    }

    /**
     * The agent stops reading, the client fills its side until it holds more than its high-water mark (the
     * closing ERROR then waits behind it), and the agent breaks the protocol with a SUBSCRIBE.
     */
    private void breachWhileTheAgentDoesNotRead(ConnectedClient client) {
        Channel atAgent = agent.connections.get(0);
        atAgent.config().setAutoRead(false);
        for (int i = 0; i < 400 && errors.stream().noneMatch(e -> e.code() == ErrorCode.OVERLOADED); i++) {
            client.publish("bulk", 1, ClientBuffers.ALLOCATOR.buffer(PAYLOAD_BYTES).writeZero(PAYLOAD_BYTES));
        }
        await().until(() -> errors.stream().anyMatch(e -> e.code() == ErrorCode.OVERLOADED));
        agent.sendToAll(channel -> Message.subscribe("not.for.clients", 1));
    }
}
