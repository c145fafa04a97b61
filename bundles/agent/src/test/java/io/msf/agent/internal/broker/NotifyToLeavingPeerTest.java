package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.agent.api.AgentTotals;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A NOTIFY routed to a connection that closes before the agent has written it: the sender gets
 * ERROR PEER_OFFLINE, as for any NOTIFY the agent cannot deliver (docs/protocol.md section 8), not
 * silence. The connection's end has not reached the broker yet in both cases ({@link Broker#departed}
 * runs after the close, on the connection's loop), so the NOTIFY is routed to it.
 */
class NotifyToLeavingPeerTest {

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();
    private TestPeer sender;
    private TestPeer leaving;
    private Peer senderPeer;
    private Channel leavingEnd;

    @BeforeEach
    void start() throws Exception {
        sender = agent.peer(1, "sender");
        leaving = agent.peer(2, "leaving");
        leavingEnd = agent.agentEndOf(leaving);
        senderPeer = agent.broker.registry.directory().byId(1);
    }

    private static Message notification() {
        return new Message(MessageType.NOTIFY, 0, ErrorCode.OK, 1, 2, "", 5, 9, 0, Unpooled.copiedBuffer(new byte[3]));
    }

    @Test
    void aNotifyFromAnotherThreadWhoseWriteFindsTheConnectionClosedGetsTheSenderPeerOffline() throws Exception {
        // The leaving connection's loop is held, then closes it: the write of the NOTIFY, handed to that
        // loop meanwhile, runs after the close and before the connection's end reaches the broker.
        CountDownLatch held = new CountDownLatch(1);
        leavingEnd.eventLoop().execute(() -> {
            try {
                held.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            leavingEnd.close();
        });

        agent.broker.notify(senderPeer, notification());   // from the test thread: another loop's
        held.countDown();

        Frame error = sender.next();
        assertThat(error.type()).isEqualTo(MessageType.ERROR);
        assertThat(error.error()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(error.sequence()).isEqualTo(9);
        assertThat(error.command()).isEqualTo(5);
        assertThat(error.text()).contains("'leaving' (#2)");
        sender.assertNothingElse();
    }

    @Test
    void aNotifyOnTheConnectionsOwnLoopAfterItClosedGetsTheSenderPeerOffline() throws Exception {
        AgentTotals before = agent.broker.totals();
        leavingEnd.eventLoop().submit(() -> {
            leavingEnd.close();
            agent.broker.notify(senderPeer, notification());
        }).get(5, TimeUnit.SECONDS);

        Frame error = sender.next();
        assertThat(error.error()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(error.sequence()).isEqualTo(9);
        assertThat(error.text()).contains("'leaving' (#2)", "left before it could be written");
        // Counted once, as a NOTIFY that finds no peer when it is routed is: not also as routed.
        AgentTotals after = agent.broker.totals();
        assertThat(after.routed()).as("routed").isEqualTo(before.routed());
        assertThat(after.peerOffline()).as("peerOffline").isEqualTo(before.peerOffline() + 1);
    }

    @Test
    void aNotifyOnTheConnectionsOwnLoopQueuedBehindANonReaderThatDisconnectsGetsTheSenderPeerOffline()
            throws Exception {
        // Megabytes of replies wait in the agent for 'leaving', which reads nothing: the NOTIFY routed
        // on its loop is accepted (the queue is under its high-water mark) and waits behind them.
        TestPeer big = agent.peer(3, "big");
        QueuedReplies.queue(big, leaving, () -> agent.outstandingOf(2));
        AgentTotals before = agent.broker.totals();
        leavingEnd.eventLoop().submit(() -> agent.broker.notify(senderPeer, notification())).get(5, TimeUnit.SECONDS);

        // It goes without reading them: closed with unread bytes, its socket resets the connection.
        leaving.channel.config().setOption(ChannelOption.SO_LINGER, 0);
        leaving.channel.close().syncUninterruptibly();

        Frame error = sender.next();
        assertThat(error.error()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(error.sequence()).isEqualTo(9);
        assertThat(error.text()).contains("'leaving' (#2)");
        sender.assertNothingElse();
        AgentTotals after = agent.broker.totals();
        assertThat(after.routed()).as("routed").isEqualTo(before.routed());
        assertThat(after.peerOffline()).as("peerOffline").isEqualTo(before.peerOffline() + 1);
    }
}
