package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection may have 65,536 requests outstanding; the next is refused with OVERLOADED, in words
 * of that limit: nothing failed to be timed, so "the agent cannot time the request" misled.
 */
class OutstandingLimitTest {

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();

    @Test
    void theRequestPastTheConnectionsLimitIsOverloadedAndSaysWhy() throws Exception {
        TestPeer silent = agent.peer(42, "silent");
        TestPeer caller = agent.peer(5, "");
        int limit = LoopOutstandingRequests.MAX_PER_CONNECTION;

        for (int i = 1; i <= limit + 1; i++) {
            caller.channel.write(Message.request(42, 1, i, 600_000, Unpooled.EMPTY_BUFFER));
        }
        caller.channel.flush();

        Frame refusal = caller.next();
        assertThat(refusal.type()).as("%s", refusal).isEqualTo(MessageType.ERROR);
        assertThat(refusal.error()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(refusal.sequence()).isEqualTo(limit + 1);
        assertThat(refusal.text()).isEqualTo("the connection has 65536 requests outstanding, the most it may have;"
                + " wait for answers");
        silent.close();
    }
}
