package io.msf.agent.internal.broker;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.msf.protocol.codec.Payloads;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Frames the broker itself writes, and frame sizes. */
final class Frames {

    /** The fixed header of every frame (docs/protocol.md section 2). */
    static final int HEADER_BYTES = 44;

    private Frames() {
    }

    /** The size of {@code message} as a frame, header included. */
    static long size(Message message) {
        String subject = message.subject();
        return HEADER_BYTES + (subject.isEmpty() ? 0 : ByteBufUtil.utf8Bytes(subject))
                + (long) message.payload().readableBytes();
    }

    /** True if {@code message} fits in a frame of at most {@code limit} bytes. */
    static boolean fits(Message message, int limit) {
        long payload = message.payload().readableBytes();
        // The subject has at most 255 bytes: most messages are decided without counting them.
        return payload + HEADER_BYTES + Protocol.MAX_SUBJECT_BYTES <= limit || size(message) <= limit;
    }

    /** A REPLY from {@code source} to {@code destination}'s request {@code command}/{@code sequence}. */
    static Message reply(int source, int destination, int command, long sequence, ByteBuf payload) {
        return new Message(MessageType.REPLY, 0, ErrorCode.OK, source, destination, "", command, sequence, 0,
                payload == null ? Unpooled.EMPTY_BUFFER : payload);
    }

    /**
     * An ERROR answer from a responder that closes its own connection after it, without its flag
     * CLOSING (taken over): forwarded to the requester, the frame comes from the agent, which keeps
     * the requester's connection open (docs/protocol.md section 5).
     */
    static Message withoutClosing(Message error) {
        return new Message(error.type(), error.flags() & ~Message.FLAG_CLOSING, error.error(), error.source(),
                error.destination(), error.subject(), error.command(), error.sequence(), error.timeoutMillis(),
                error.payload());
    }

    /**
     * A copy of {@code publication} addressed to the subscriber {@code destination}, sharing its
     * payload's bytes but not its indices: whoever reads it may move them.
     */
    static Message publication(Message publication, int destination) {
        return copy(publication, destination, publication.payload().retainedDuplicate());
    }

    /**
     * {@link #publication}, for one that waits in a queue (an in-container listener's): its payload
     * copied from {@code alloc} if it would keep a much larger buffer alive there ({@link Payloads}),
     * the read buffer of the connection it came from, while the queue's bound counts only the frame.
     */
    static Message waitingPublication(Message publication, int destination, ByteBufAllocator alloc) {
        ByteBuf payload = publication.payload();
        return Payloads.keepsMoreAlive(payload) ? copy(publication, destination, Payloads.copyOf(payload, alloc))
                : publication(publication, destination);
    }

    /**
     * The same for a connection: the very payload buffer, retained. The frame encoder reads it at
     * fixed indices and moves none, so the copies for every subscriber can share it, on any thread,
     * without a duplicate each.
     */
    static Message encodedPublication(Message publication, int destination) {
        return copy(publication, destination, publication.payload().retain());
    }

    private static Message copy(Message publication, int destination, ByteBuf payload) {
        return new Message(MessageType.PUBLISH, 0, ErrorCode.OK, publication.source(), destination,
                publication.subject(), publication.command(), publication.sequence(), 0, payload);
    }
}
