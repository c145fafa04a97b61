package io.msf.agent.internal.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A requester that leaves with requests outstanding to a connection, and a new connection under the
 * same id that numbers its requests the same way (docs/protocol.md section 8): an answer to the old
 * connection's request must never reach the new one.
 */
class DepartedRequesterTest {

    private AgentServer agent;

    @BeforeEach
    void start() throws Exception {
        agent = new AgentServer(AgentServer.quiet());
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

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
}
