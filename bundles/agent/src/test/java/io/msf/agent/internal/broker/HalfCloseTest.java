package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.protocol.api.MessageType;
import io.netty.channel.socket.DuplexChannel;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that shuts down its output (a half-close) ends its session as a close does, but what the
 * agent wrote to it before still reaches it: the connection closes once that has gone out. It leaves at
 * once, as at a close (docs/protocol.md 10.1): its id and name are free for its restart, and the heartbeat
 * that it can no longer answer does not evict it and cut what it is still reading.
 */
class HalfCloseTest {

    private static final int REPLY_BYTES = QueuedReplies.REPLY_BYTES;
    private static final int REPLIES = QueuedReplies.REPLIES;

    private AgentServer agent;

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    @Test
    void repliesWrittenBeforeAPeerShutsDownItsOutputStillReachItThenTheConnectionCloses() throws Exception {
        agent = new AgentServer(AgentServer.quiet());
        TestPeer requester = withRepliesQueued(0);

        ((DuplexChannel) requester.channel).shutdownOutput().syncUninterruptibly();
        // The agent reads the end of the input while the replies still wait for the requester.
        Thread.sleep(300);
        requester.channel.config().setAutoRead(true);

        Set<Long> answered = new HashSet<>();
        for (int i = 0; i < REPLIES; i++) {
            Frame reply = requester.next();
            assertThat(reply.type()).isEqualTo(MessageType.REPLY);
            assertThat(reply.payload()).hasSize(REPLY_BYTES);
            answered.add(reply.sequence());
        }
        assertThat(answered).hasSize(REPLIES);
        assertThat(requester.awaitClosed()).as("closed by the agent once the replies went out").isTrue();
        await().until(() -> agent.outstandingOf(requester.id) == -1);
    }

    @Test
    void aPeerThatShutsDownItsOutputLeavesAtOnceWithItsRequestsOutstandingDropped() throws Exception {
        agent = new AgentServer(AgentServer.quiet());
        TestPeer responder = agent.peer(0, "slow");
        TestPeer requester = agent.peer(5, "asker");
        requester.request("slow", 1, "question", 60_000);
        responder.next();

        ((DuplexChannel) requester.channel).shutdownOutput().syncUninterruptibly();

        assertThat(requester.awaitClosed()).isTrue();
        await().until(() -> agent.outstandingOf(5) == -1);
        agent.peer(5, "asker"); // its id and name are free for its successor
    }

    @Test
    void aPeerWithAnswersStillQueuedLeavesAtOnceAndItsIdIsFree() throws Exception {
        agent = new AgentServer(AgentServer.quiet());
        TestPeer requester = withRepliesQueued(5);

        ((DuplexChannel) requester.channel).shutdownOutput().syncUninterruptibly();

        await().until(() -> agent.outstandingOf(5) == -1);
        assertThat(agent.agentEndOf(requester).isActive()).as("still open: the replies wait to be read").isTrue();
        agent.peer(5, "asker"); // its id and name are free for its successor

        requester.channel.config().setAutoRead(true);
        for (int i = 0; i < REPLIES; i++) {
            assertThat(requester.next().payload()).as("what was queued still goes out").hasSize(REPLY_BYTES);
        }
        assertThat(requester.awaitClosed()).isTrue();
    }

    @Test
    void aPeerThatShutsDownItsOutputIsNotEvictedForThePongsItCannotSend() throws Exception {
        // Evicted 1.2 s after its last PONG: time enough to queue the replies (it reads nothing meanwhile).
        agent = new AgentServer(AgentServer.withHeartbeat(200, 5));
        TestPeer requester = withRepliesQueued(5);

        ((DuplexChannel) requester.channel).shutdownOutput().syncUninterruptibly();
        // Past that eviction, before it reads.
        Thread.sleep(2000);
        requester.channel.config().setAutoRead(true);

        for (int i = 0; i < REPLIES; i++) {
            Frame reply = requester.next();
            assertThat(reply.type()).isEqualTo(MessageType.REPLY);
            assertThat(reply.payload()).hasSize(REPLY_BYTES);
        }
        assertThat(requester.awaitClosed()).as("closed by the agent once the replies went out").isTrue();
    }

    /** A peer with {@code id} (0: one the agent assigns) that reads nothing, with replies queued for it. */
    private TestPeer withRepliesQueued(int id) throws Exception {
        TestPeer responder = agent.peer(0, "big");
        TestPeer requester = agent.peer(id, "asker");
        QueuedReplies.queue(responder, requester, () -> agent.outstandingOf(requester.id));
        return requester;
    }
}
