package io.msf.agent.internal.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A requester that leaves with requests outstanding to a connection, and a new connection under the
 * same id that numbers its requests the same way (docs/protocol.md section 8): an answer to the old
 * connection's request must never reach the new one.
 */
class DepartedRequesterTest {

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();

    @Test
    void theLateReplyToADepartedRequesterIsDroppedNotGivenToItsSuccessor() throws Exception {
        TestPeer responder = agent.peer(42, "responder");
        TestPeer departed = agent.peer(5, "");
        long sequence = departed.request(42, 1, "for the first connection", 60_000);
        Frame first = responder.next();
        departed.close();
        await().until(() -> agent.outstandingOf(5) == -1);

        TestPeer successor = agent.peer(5, "");
        assertThat(successor.request(42, 1, "for the second connection", 60_000)).isEqualTo(sequence);
        Frame refused = successor.next();
        assertThat(refused.error()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(refused.sequence()).isEqualTo(sequence);
        assertThat(refused.closing()).isFalse();
        assertThat(refused.text()).contains("sequence " + sequence, "'responder' (#42)", "left");
        responder.assertNothingElse();

        responder.reply(first, "for the first connection only");
        await().until(() -> agent.broker.totals().lateReplies() == 1);
        successor.assertNothingElse();

        // Answered: the sequence is free for the new connection.
        successor.send(Message.request(42, 1, sequence, 60_000, Unpooled.copiedBuffer("again", UTF_8)));
        Frame second = responder.next();
        assertThat(second.text()).isEqualTo("again");
        responder.reply(second, "for the second connection");
        Frame reply = successor.next();
        assertThat(reply.type()).isEqualTo(MessageType.REPLY);
        assertThat(reply.text()).isEqualTo("for the second connection");
        assertThat(agent.broker.totals().lateReplies()).isEqualTo(1);
    }

    /**
     * A REPLACE from a connection on another event loop than the one it takes over from: the old
     * connection's requests are dropped, and remembered as orphans, on the old connection's loop,
     * while the new connection is registered on its own. The old loop is held here (as a busy loop
     * would be) until the late answer has come, so that the new connection's request with the same
     * sequence is read before the old connection's requests are remembered. That answer is late, and
     * it answers the old request: the sequence is free for the new connection as soon as it is heard.
     */
    @Test
    void aTakeoverFromAnotherLoopDoesNotHandTheOldConnectionsRequestsToTheNewOne() throws Exception {
        TestPeer responder = agent.connectApart().register(42, "responder");
        TestPeer departed = agent.connectApartOffLoop(agent.agentEndOf(responder).eventLoop()).register(5, "");
        EventLoop departedLoop = agent.agentEndOf(departed).eventLoop();
        long sequence = departed.request(42, 1, "for the first connection", 60_000);
        Frame first = responder.next();
        TestPeer successor = agent.connectApartOffLoop(departedLoop);
        Channel successorEnd = agent.agentEndOf(successor);

        CountDownLatch release = AgentServer.hold(departedLoop);
        try {
            assertThat(successor.hello(5, "", true, null, Protocol.DEFAULT_MAX_FRAME_BYTES).type())
                    .isEqualTo(MessageType.HELLO);
            long readBefore = bytesInOf(5);
            Message request = Message.request(42, 1, sequence, 60_000, TestPeer.text("for the second connection"));
            long size = Frames.size(request);
            successor.send(request);
            // The agent has read it, or does not read from the new connection for now.
            await().until(() -> bytesInOf(5) >= readBefore + size || !successorEnd.config().isAutoRead());
            successorEnd.eventLoop().submit(() -> { }).get(10, TimeUnit.SECONDS); // done with what it read

            long routedBefore = agent.broker.totals().routed();
            long answeredBefore = bytesInOf(42);
            Message answer = new Message(MessageType.REPLY, 0, ErrorCode.OK, 0, first.source(), "", first.command(),
                    first.sequence(), 0, TestPeer.text("for the first connection only"));
            long answerSize = Frames.size(answer);
            responder.send(answer);
            await().until(() -> bytesInOf(42) >= answeredBefore + answerSize);
            agent.agentEndOf(responder).eventLoop().submit(() -> { }).get(10, TimeUnit.SECONDS); // routed it
            successorEnd.eventLoop().submit(() -> { }).get(10, TimeUnit.SECONDS); // handed it over, if it was
            assertThat(agent.broker.totals().routed()).as("the answer to the old connection's request, not routed")
                    .isEqualTo(routedBefore);
        } finally {
            release.countDown();
        }
        await().until(() -> agent.broker.totals().lateReplies() == 1);

        // Read once the old connection's requests are remembered: the answer that came meanwhile has answered
        // the one with this sequence, as it would after a connection that closed, so it is free again at once.
        Frame forwarded = responder.next();
        assertThat(forwarded.type()).as("%s", forwarded).isEqualTo(MessageType.REQUEST);
        assertThat(forwarded.sequence()).isEqualTo(sequence);
        assertThat(forwarded.text()).isEqualTo("for the second connection");
        responder.reply(forwarded, "for the second connection only");
        Frame reply = successor.next();
        assertThat(reply.type()).as("%s", reply).isEqualTo(MessageType.REPLY);
        assertThat(reply.text()).isEqualTo("for the second connection only");
        responder.assertNothingElse();
        successor.assertNothingElse();
        assertThat(agent.broker.totals().lateReplies()).isEqualTo(1);
    }

    /** A client whose connection the agent serves on another loop than {@code avoid}. */
    private long bytesInOf(int id) {
        return agent.broker.peers().stream().filter(p -> p.id() == id).findFirst().orElseThrow().bytesIn();
    }
}
