package io.msf.agent.internal.broker;

import static org.awaitility.Awaitility.await;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.Unpooled;

/**
 * Replies handed to a requester that reads nothing: more than loopback's socket buffers hold, so most of
 * them wait in the agent to be read, and less than the high-water mark (8 MiB), so it is not cut off. The
 * half-close tests shut the requester's output down with them queued.
 */
final class QueuedReplies {

    /** Six of them are more than loopback's socket buffers hold, and less than the high-water mark. */
    static final int REPLY_BYTES = 1_000_000;
    static final int REPLIES = 6;

    private QueuedReplies() {
    }

    /**
     * Stops {@code requester} reading, has it ask {@code responder} (registered as {@code big}) {@link #REPLIES}
     * questions, answers each with {@link #REPLY_BYTES} bytes, and returns once the agent has handed every
     * reply to the requester's connection ({@code outstanding}, the agent's count of its requests, is 0).
     */
    static void queue(TestPeer responder, TestPeer requester, Outstanding outstanding) throws Exception {
        requester.channel.config().setAutoRead(false);
        for (int i = 0; i < REPLIES; i++) {
            requester.request("big", 1, "question " + i, 10_000);
        }
        for (int i = 0; i < REPLIES; i++) {
            Frame request = responder.next();
            responder.send(new Message(MessageType.REPLY, 0, ErrorCode.OK, 0, request.source(), "",
                    request.command(), request.sequence(), 0, Unpooled.wrappedBuffer(new byte[REPLY_BYTES])));
        }
        await().until(() -> outstanding.count() == 0);
    }

    /** The agent's count of the requester's requests still outstanding (its fixture's outstandingOf). */
    @FunctionalInterface
    interface Outstanding {
        int count() throws Exception;
    }
}
