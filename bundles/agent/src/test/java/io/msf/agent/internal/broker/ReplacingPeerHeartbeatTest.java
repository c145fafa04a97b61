package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection whose REPLACE took over one on another loop is not read until that loop has dropped the
 * old connection's requests (OrphanWait). Its PONGs waited unread with the rest, while
 * its heartbeat counted them missed: a peer that answered every PING was evicted when that loop was
 * busy for longer than heartbeatMillis x (heartbeatMisses + 1).
 */
class ReplacingPeerHeartbeatTest {

    private static final int HEARTBEAT_MILLIS = 100;
    /** Room for a loaded machine once the agent reads again: a healthy peer is evicted only after 600 ms unanswered. */
    private static final int HEARTBEAT_MISSES = 5;

    private final AgentServer agent = new AgentServer(AgentServer.withHeartbeat(HEARTBEAT_MILLIS, HEARTBEAT_MISSES));

    ReplacingPeerHeartbeatTest() throws Exception {
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    @Test
    void aReplacingPeerIsNotEvictedWhileTheAgentWaitsForTheLoopOfTheConnectionItTookOver() throws Exception {
        TestPeer old = agent.connectApart().register(42, "upnp");
        EventLoop oldLoop = agent.agentEndOf(old).eventLoop();
        TestPeer replacing = agent.connectApartOffLoop(oldLoop);
        CountDownLatch release = AgentServer.hold(oldLoop);
        try {
            assertThat(replacing.hello(42, "upnp", true, null, Protocol.DEFAULT_MAX_FRAME_BYTES).type())
                    .isEqualTo(MessageType.HELLO);

            // several times what a peer that does not answer may miss
            await("no eviction while the agent does not read the connection").during(Duration.ofMillis(HEARTBEAT_MILLIS * (HEARTBEAT_MISSES + 1) * 3L))
                    .atMost(Duration.ofSeconds(10)).until(() -> agent.broker.totals().evicted() == 0);
        } finally {
            release.countDown();
        }

        TestPeer caller = agent.connectApart().register(5, "");
        caller.request("upnp", 1, "to the connection that replaced", 5000);
        assertThat(replacing.next().text()).isEqualTo("to the connection that replaced");
        assertThat(agent.broker.totals().evicted()).isZero();
    }
}
