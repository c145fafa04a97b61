package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DuplexChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that shuts down its output leaves at once, as at a close (docs/protocol.md 10.1), while what
 * was written to it before still goes out: its id and name are free for its restart, and the heartbeat
 * that it can no longer answer does not evict it and cut what it is still reading.
 */
class HalfCloseDepartureTest {

    /** Six of them are more than loopback's socket buffers hold, and less than the high-water mark (8 MiB). */
    private static final int REPLY_BYTES = 1_000_000;
    private static final int REPLIES = 6;

    private AgentServer agent;

    @AfterEach
    void stop() throws Exception {
        agent.close();
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

    /** A peer with {@code id} that reads nothing, with {@link #REPLIES} replies handed to its connection. */
    private TestPeer withRepliesQueued(int id) throws Exception {
        TestPeer responder = agent.peer(0, "big");
        TestPeer requester = agent.peer(id, "asker");
        requester.channel.config().setAutoRead(false);
        for (int i = 0; i < REPLIES; i++) {
            requester.request("big", 1, "question " + i, 10_000);
        }
        for (int i = 0; i < REPLIES; i++) {
            Frame request = responder.next();
            responder.send(new Message(MessageType.REPLY, 0, ErrorCode.OK, 0, request.source(), "",
                    request.command(), request.sequence(), 0, Unpooled.wrappedBuffer(new byte[REPLY_BYTES])));
        }
        await().until(() -> agent.outstandingOf(id) == 0);
        return requester;
    }
}
