package io.msf.protocol.codec;

import static io.msf.protocol.codec.Wire.HEADER_BYTES;
import static io.msf.protocol.codec.Wire.MAGIC;

import io.msf.protocol.api.Message;
import io.msf.protocol.api.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Writes {@link Message}s as frames (docs/protocol.md).
 *
 * <p>The header and the subject go into one new buffer. A payload of up to
 * {@link #INLINE_PAYLOAD_BYTES} is copied behind them, so a small message is one buffer and one
 * write; a larger payload follows as a retained slice of itself and leaves in the same gathering
 * write, never copied. The payload's own indices are not moved, so a buffer shared by several
 * messages is safe. The message is released once encoded.
 *
 * <p>A frame larger than the peer accepts is refused with a {@link TooLongFrameException} (the
 * write fails, the connection stays): sending it would only get the connection closed.
 */
public final class FrameEncoder extends MessageToMessageEncoder<Message> {

    /**
     * Payloads up to this size are copied next to the header: a copy this small costs less than a
     * second buffer in the outbound queue. Netty's HTTP encoder draws the same line at 128 bytes.
     */
    static final int INLINE_PAYLOAD_BYTES = 256;

    private int peerMaxFrameBytes;

    /**
     * @param peerMaxFrameBytes the largest frame the peer accepts; until its HELLO tells,
     *     {@link Protocol#SMALLEST_FRAME_LIMIT}
     */
    public FrameEncoder(int peerMaxFrameBytes) {
        super(Message.class);
        peerMaxFrameBytes(peerMaxFrameBytes);
    }

    /** Sets the peer's limit once its HELLO has announced it. Call on the channel's event loop. */
    public void peerMaxFrameBytes(int limit) {
        if (limit < Protocol.SMALLEST_FRAME_LIMIT) {
            throw new IllegalArgumentException(
                    "peer frame limit " + limit + " is below the smallest limit " + Protocol.SMALLEST_FRAME_LIMIT);
        }
        this.peerMaxFrameBytes = limit;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message message, List<Object> out) {
        ByteBuf payload = message.payload();
        String subject = message.subject();
        int subjectBytes = subject.isEmpty() ? 0 : ByteBufUtil.utf8Bytes(subject);
        int payloadBytes = payload.readableBytes();
        long frameBytes = (long) HEADER_BYTES + subjectBytes + payloadBytes;
        if (frameBytes > peerMaxFrameBytes) {
            throw new TooLongFrameException(message.type() + " frame of " + frameBytes
                    + " bytes is over the peer's limit of " + peerMaxFrameBytes + " bytes");
        }
        boolean inline = payloadBytes <= INLINE_PAYLOAD_BYTES;
        ByteBuf frame = ctx.alloc().buffer(HEADER_BYTES + subjectBytes + (inline ? payloadBytes : 0));
        // Eight bytes a write (the layout of docs/protocol.md section 2, big-endian): each write passes
        // the buffer's checks, and a wrapper's for an accounted buffer.
        // The only version so far; a second one would pin the negotiated version per connection.
        frame.writeLong((long) MAGIC << 48 | (long) Protocol.MAX_VERSION << 40
                        | (long) (message.type().code() & 0xFF) << 32 | frameBytes)
                .writeLong((long) (message.flags() & 0xFFFF) << 48 | (long) (message.error().code() & 0xFFFF) << 32
                        | (long) subjectBytes << 16) // and the reserved 16 bits: 0
                .writeLong((long) message.source() << 32 | message.destination() & 0xFFFFFFFFL)
                .writeLong((long) message.command() << 32 | message.timeoutMillis() & 0xFFFFFFFFL)
                .writeLong(message.sequence())
                .writeInt(payloadBytes);
        if (subjectBytes > 0) {
            ByteBufUtil.reserveAndWriteUtf8(frame, subject, subjectBytes);
        }
        if (inline) {
            frame.writeBytes(payload, payload.readerIndex(), payloadBytes);
            out.add(frame);
        } else {
            out.add(frame);
            out.add(payload.retainedSlice());
        }
    }
}
