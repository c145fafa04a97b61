package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * msf.agent maxQueuedBytes: the bytes queued for all peers together are bounded, not only each
 * peer's (outboundHighWaterBytes). Peers that each stay under their own mark, together past the
 * budget, lose the one with the largest queue; the others carry on.
 */
class QueuedBytesBudgetTest {

    private static final int BUDGET = 1 << 20;
    private static final int PAYLOAD = 32 * 1024;
    private static final int ROUNDS = 12;

    private AgentServer agent;

    @BeforeEach
    void start() throws Exception {
        BrokerSettings d = AgentServer.quiet();
        // Each peer's own mark (8 MiB) is far above what this test queues for it.
        agent = new AgentServer(new BrokerSettings(d.maxFrameBytes(), 0, 3, d.defaultTimeoutMillis(),
                d.outboundHighWaterBytes(), d.helloTimeoutMillis(), null, BUDGET));
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    @Test
    void peersTogetherPastTheBudgetLoseTheOneWithTheLargestQueue() throws Exception {
        // Over the Unix socket, whose buffers hold little: what is sent waits in the agent.
        TestPeer small = agent.connect(agent.udsAddress()).register(1, "small");
        TestPeer large = agent.connect(agent.udsAddress()).register(2, "large");
        TestPeer other = agent.connect(agent.udsAddress()).register(3, "other");
        TestPeer sender = agent.peer(4, "");
        List<String> warnings = new CopyOnWriteArrayList<>();
        agent.broker.onQueuedBytesWarning(() -> warnings.add(String.valueOf(agent.broker.queuedBytesWarning())));
        small.channel.config().setAutoRead(false);
        large.channel.config().setAutoRead(false);
        other.channel.config().setAutoRead(false);

        // Distinct NOTIFYs, five to "large" for one to each of the others: 1.9 MiB for it, under the 8 MiB
        // that each peer may hold on its own, and 768 KiB for the other two, under the budget even if their
        // sockets took none of it.
        for (int i = 0; i < ROUNDS; i++) {
            notify(sender, "small");
            for (int j = 0; j < 5; j++) {
                notify(sender, "large");
            }
            notify(sender, "other");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.broker.totals().overloaded() > 0);

        large.channel.config().setAutoRead(true);
        assertThat(large.awaitClosed()).isTrue();
        Frame last;
        do {
            last = large.next();
        } while (last.type() == MessageType.NOTIFY);
        assertThat(last.error()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(last.closing()).isTrue();
        assertThat(last.text()).contains("maxQueuedBytes").contains(Integer.toString(BUDGET));
        verify(agent.log).warn(contains("maxQueuedBytes"), eq("'large' (#2)"), anyString(), eq((long) BUDGET),
                anyLong());

        // The others keep their connections and get all that was sent to them.
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.broker.peers().stream().noneMatch(p -> p.id() == 2));
        assertThat(agent.broker.peers()).extracting(io.msf.agent.api.PeerInfo::id).contains(1, 3);
        small.channel.config().setAutoRead(true);
        other.channel.config().setAutoRead(true);
        for (int i = 0; i < ROUNDS; i++) {
            assertThat(small.next().type()).isEqualTo(MessageType.NOTIFY);
            assertThat(other.next().type()).isEqualTo(MessageType.NOTIFY);
        }
        assertThat(agent.broker.totals().overloaded()).isEqualTo(1);
        // The agent's health was WARN while the budget was exhausted, and is no longer.
        assertThat(warnings.get(0)).contains("maxQueuedBytes").contains(Integer.toString(BUDGET));
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.broker.queuedBytesWarning() == null);
    }

    private static void notify(TestPeer sender, String to) {
        byte[] payload = new byte[PAYLOAD];
        ThreadLocalRandom.current().nextBytes(payload);
        sender.send(Message.notification(to, 1, 0, Unpooled.wrappedBuffer(payload)));
    }
}
