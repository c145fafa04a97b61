package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DuplexChannel;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that shuts down its output (a half-close) ends its session as a close does, but what the
 * agent wrote to it before still reaches it: the connection closes once that has gone out.
 */
class HalfCloseTest {

    /** Six of them are more than loopback's socket buffers hold, and less than the high-water mark (8 MiB). */
    private static final int REPLY_BYTES = 1_000_000;
    private static final int REPLIES = 6;

    private AgentServer agent;

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    @Test
    void repliesWrittenBeforeAPeerShutsDownItsOutputStillReachItThenTheConnectionCloses() throws Exception {
        agent = new AgentServer(AgentServer.quiet());
        TestPeer responder = agent.peer(0, "big");
        TestPeer requester = agent.peer(0, "asker");
        requester.channel.config().setAutoRead(false);
        for (int i = 0; i < REPLIES; i++) {
            requester.request("big", 1, "question " + i, 10_000);
        }
        for (int i = 0; i < REPLIES; i++) {
            Frame request = responder.next();
            responder.send(new Message(MessageType.REPLY, 0, ErrorCode.OK, 0, request.source(), "",
                    request.command(), request.sequence(), 0, Unpooled.wrappedBuffer(new byte[REPLY_BYTES])));
        }
        // Every reply handed to the requester's connection: most of them wait in the agent to be read.
        await().until(() -> agent.outstandingOf(requester.id) == 0);

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
}
