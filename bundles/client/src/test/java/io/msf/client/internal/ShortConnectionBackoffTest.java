package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An agent that takes the HELLO and drops the connection at once (a crash loop, a cut-off loop) is
 * reconnected to after a growing delay, as an agent that refuses connections is: a registration
 * alone did not start the backoff over, and the client knocked every 5-10 ms for good, logging
 * each time. A connection that stayed up for a heartbeat interval does start it over.
 */
class ShortConnectionBackoffTest extends ClientTestBase {

    @Test
    void connectionsDroppedRightAfterTheirHelloAreRetriedAfterDoublingDelays() {
        agent.dropAfterHello = true;
        long start = System.nanoTime();
        connect(options().heartbeat(Duration.ofSeconds(60)).reconnectBackoff(Duration.ofMillis(10),
                Duration.ofSeconds(5)));

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.hellos.size() >= 8);

        // 7 delays, each at least half of 10, 20, ... 640 ms: at least 635 ms (once reset, at most 7 x 10 ms)
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(635);
    }

    @Test
    void aConnectionThatStayedUpForAHeartbeatStartsTheBackoffOver() {
        agent.dropAfterHello = true;
        ConnectedClient client = connect(options().heartbeat(Duration.ofMillis(200))
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofSeconds(10)));
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.hellos.size() >= 8);
        agent.dropAfterHello = false; // the next delay is at least 640 ms, the one after at least 1,280

        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.CONNECTED
                && !agent.connections.isEmpty());
        int pings = agent.pings.get();
        await().until(() -> agent.pings.get() >= pings + 2); // the client pings once a heartbeat
        Queue<ConnectionState> states = states(client);
        long dropped = System.nanoTime();
        agent.dropConnections();

        await().atMost(Duration.ofSeconds(10)).until(() -> states.contains(ConnectionState.CONNECTED));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - dropped)).isLessThan(1_000);
    }
}
