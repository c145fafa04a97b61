package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection may have 65,536 requests outstanding; the next is refused with OVERLOADED, in words
 * of that limit: nothing failed to be timed, so "the agent cannot time the request" misled.
 *
 * <p>To a handler in the container that never answers, written in one task of the caller's loop: the
 * limit is the requester's, whatever the destination. 65,537 frames on to a second connection, each
 * written by a task from the test's thread, took a loaded build machine past the 10 s a frame is
 * waited for; the refusal is waited for longer, as it comes after them all.
 */
class OutstandingLimitTest {

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();

    @Test
    void theRequestPastTheConnectionsLimitIsOverloadedAndSaysWhy() throws Exception {
        agent.broker.addHandler(message -> new CompletableFuture<>(), new HandlerProperties(42, "silent", 0, 1),
                "bundle silent 1.0.0");
        TestPeer caller = agent.peer(5, "");
        int limit = LoopOutstandingRequests.MAX_PER_CONNECTION;

        caller.channel.eventLoop().submit(() -> {
            for (int i = 1; i <= limit + 1; i++) {
                caller.channel.write(Message.request(42, 1, i, 600_000, Unpooled.EMPTY_BUFFER));
            }
            caller.channel.flush();
        }).sync();

        Frame refusal = caller.next(60); // behind 65,536 requests routed: seconds on a loaded machine
        assertThat(refusal.type()).as("%s", refusal).isEqualTo(MessageType.ERROR);
        assertThat(refusal.error()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(refusal.sequence()).isEqualTo(limit + 1);
        assertThat(refusal.text()).isEqualTo("the connection has 65536 requests outstanding, the most it may have;"
                + " wait for answers");
    }
}
