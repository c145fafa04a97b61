package io.msf.protocol.codec;

import static io.msf.protocol.codec.Wire.HEADER_BYTES;
import static io.msf.protocol.codec.Wire.HELLO_VERSION;
import static io.msf.protocol.codec.Wire.MAGIC;

import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.PromiseNotifier;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@link Message}s as frames (docs/protocol.md), the frames written between two flushes
 * into as few buffers as they fit.
 *
 * <p>A frame's header and subject, and its payload up to {@link #INLINE_PAYLOAD_BYTES}, are
 * appended to the current batch, a buffer that starts at the first frame's size and grows up to
 * {@link #BATCH_BYTES}; the batch goes down the pipeline at the next flush, when the next frame
 * would take it past that size, and before anything that is not a message. A burst of small frames
 * so costs one buffer, one outbound-queue entry and one slot of the gathering write per batch,
 * rather than per frame: what each frame cost when it was a buffer of its own. A larger payload
 * ends the batch: it leaves behind its header in the same composite buffer, not copied unless it is a
 * small part of a larger buffer ({@link Payloads}) and is to wait in the outbound queue, where it would
 * keep that buffer alive. The
 * payload's own indices are not moved, so a buffer shared by several messages is safe. The message
 * is released once encoded.
 *
 * <p>Flushes must reach this handler consolidated: one per message would write every batch with
 * one frame in it. Where frames are written and flushed one at a time, install the codec with
 * {@link AgentCodec#addConsolidatingTo}.
 *
 * <p>The first batch after a flush starts with room for what the previous flush carried, up to
 * {@link #BATCH_BYTES}, the next ones with room for what the batch before them held: the batches of
 * a steady burst do not grow again from one frame's size, a reallocation and a copy at every
 * doubling (starting every batch from the previous one's bytes still did, at every burst whose
 * last batch was short). A batch grows by doubling, so its capacity is at most about twice its
 * own bytes or the previous batch's, and one batch per flush may have the previous flush's room:
 * the memory in the channel's outbound buffer stays within a small multiple of the bytes it counts
 * against the high-water mark. The bytes of the batch not handed on yet are not in the
 * outbound buffer, so not in its writability either: at most {@link #BATCH_BYTES} per connection,
 * until the next flush. Write promises are kept: the batch's write completes the promise of every
 * frame in it.
 *
 * <p>A frame carries the version agreed in the HELLOs ({@link #agreedVersion}), or version 1 until
 * then; a HELLO always carries version 1.
 *
 * <p>A frame larger than the peer accepts is refused with a {@link TooLongFrameException} (its
 * write fails, the connection and the other frames stay): sending it would only get the
 * connection closed.
 */
public final class FrameEncoder extends ChannelOutboundHandlerAdapter {

    /**
     * Payloads up to this size are copied into the batch: copying 2 KiB costs about what a second
     * buffer costs on its way out (a composite or an entry of the outbound queue, a slot of the
     * gathering write), and a payload that leaves as itself also ends the batch in front of it.
     */
    static final int INLINE_PAYLOAD_BYTES = 2048;
    /** The most a batch grows to: a hundred small frames, or a few inline payloads. */
    static final int BATCH_BYTES = 8192;

    /** The protocol versions this end speaks. */
    private final int minVersion;
    private final int maxVersion;
    private int peerMaxFrameBytes;
    /** The version byte of every frame but a HELLO: {@link Wire#HELLO_VERSION} until the HELLOs agree on one. */
    private int version = HELLO_VERSION;
    private ByteBuf batch;
    /** The promises of the frames in {@link #batch} that are not void. */
    private final List<ChannelPromise> batchPromises = new ArrayList<>(4);
    /** The bytes handed on since the last flush, counted up to a batch. */
    private int bytesSinceFlush;
    /** The room the first batch after a flush starts with: what the previous flush carried, at most a batch. */
    private int roomAfterFlush;
    /** The bytes of the batch handed on last: the room of the next one within the same flush. */
    private int lastBatchBytes;

    /**
     * @param peerMaxFrameBytes the largest frame the peer accepts; until its HELLO tells,
     *     {@link Protocol#SMALLEST_FRAME_LIMIT}
     */
    public FrameEncoder(int peerMaxFrameBytes) {
        this(peerMaxFrameBytes, Protocol.MIN_VERSION, Protocol.MAX_VERSION);
    }

    /** An encoder of a build that speaks {@code minVersion..maxVersion}: for tests, while this one speaks one. */
    FrameEncoder(int peerMaxFrameBytes, int minVersion, int maxVersion) {
        this.minVersion = minVersion;
        this.maxVersion = maxVersion;
        peerMaxFrameBytes(peerMaxFrameBytes);
    }

    /**
     * Writes every frame but a HELLO from now on in {@code version}, the one the HELLOs agreed on
     * (docs/protocol.md section 7.2). Call on the channel's event loop.
     *
     * @param version the version agreed; one this end speaks
     */
    public void agreedVersion(int version) {
        this.version = Wire.checkSpoken(version, minVersion, maxVersion);
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
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Message)) {
            writeBatch(ctx, null);
            ctx.write(msg, promise);
            return;
        }
        Message message = (Message) msg;
        try {
            // Uncancellable from here: a promise cancelled later would drop the whole batch it completes.
            if (promise.setUncancellable()) {
                encode(ctx, message, promise);
            }
        } finally {
            message.release();
        }
    }

    private void encode(ChannelHandlerContext ctx, Message message, ChannelPromise promise) {
        ByteBuf payload = message.payload();
        String subject = message.subject();
        int subjectBytes = subject.isEmpty() ? 0 : ByteBufUtil.utf8Bytes(subject);
        int payloadBytes = payload.readableBytes();
        long frameBytes = (long) HEADER_BYTES + subjectBytes + payloadBytes;
        if (frameBytes > peerMaxFrameBytes) {
            // Thrown, the write's promise fails with it (a void promise: the pipeline's exceptionCaught).
            throw new EncoderException(new TooLongFrameException(message.type() + " frame of " + frameBytes
                    + " bytes is over the peer's limit of " + peerMaxFrameBytes + " bytes"));
        }
        boolean inline = payloadBytes <= INLINE_PAYLOAD_BYTES;
        // The batch first: getting it may fail (a memory limit, no direct memory left), and then nothing
        // is retained yet. The slice next, so that nothing can fail once the header is in the batch.
        ByteBuf frame = batchWithRoom(ctx, HEADER_BYTES + subjectBytes + (inline ? payloadBytes : 0));
        ByteBuf uncopied = inline ? null : Payloads.keepsMoreAlive(payload) && waits(ctx)
                ? Payloads.copyOf(payload, ctx.alloc()) : payload.retainedSlice();
        int start = frame.writerIndex();
        try {
            // Eight bytes a write (the layout of docs/protocol.md section 2, big-endian): each write passes
            // the buffer's checks, and a wrapper's for an accounted buffer.
            // A HELLO keeps version 1 whatever was agreed, so that any end can read it (protocol.md 7.2).
            int frameVersion = message.type() == MessageType.HELLO ? HELLO_VERSION : version;
            frame.writeLong((long) MAGIC << 48 | (long) frameVersion << 40
                            | (long) (message.type().code() & 0xFF) << 32 | frameBytes)
                    .writeLong((long) (message.flags() & 0xFFFF) << 48
                            | (long) (message.error().code() & 0xFFFF) << 32
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
            }
        } catch (RuntimeException e) {
            frame.writerIndex(start); // no half frame in the batch
            if (uncopied != null) {
                uncopied.release();
            }
            throw e;
        }
        if (!promise.isVoid()) {
            batchPromises.add(promise);
        }
        if (uncopied != null) {
            writeBatch(ctx, uncopied);
        }
    }

    /**
     * Whether what is written now waits in the outbound queue: bytes written before it have not all left
     * (a slow reader, or a burst not flushed yet). A payload that keeps a much larger buffer alive is copied
     * then; one that goes out at once is not worth a copy, nor are the copies for every subscriber of a
     * publication that all share its buffer.
     */
    private static boolean waits(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer queue = ctx.channel().unsafe().outboundBuffer();
        return queue == null || queue.totalPendingWriteBytes() > 0;
    }

    /** The batch, with room for {@code bytes} more within {@link #BATCH_BYTES}: a new one if need be. */
    private ByteBuf batchWithRoom(ChannelHandlerContext ctx, int bytes) {
        // A loop: writing the batch down may have the pipeline write again (a writability change).
        while (batch != null && batch.readableBytes() + bytes > BATCH_BYTES) {
            writeBatch(ctx, null);
        }
        if (batch == null) {
            // Only the first batch after a flush gets the flush's room: a batch ended early by a large
            // payload holds little more than a header, and the ones after it should not each get 8 KiB.
            batch = ctx.alloc().buffer(Math.max(bytes, bytesSinceFlush == 0 ? roomAfterFlush : lastBatchBytes));
        } else {
            batch.ensureWritable(bytes);
        }
        return batch;
    }

    /**
     * Hands the batch on, with a promise that completes its frames' promises; {@code payload}, if
     * not null, follows in the same composite buffer, behind its header at the end of the batch.
     */
    private void writeBatch(ChannelHandlerContext ctx, ByteBuf payload) {
        ByteBuf written = batch;
        if (written == null) {
            return;
        }
        // Taken before the write: a listener the write fails at once may write again, into a new batch.
        batch = null;
        lastBatchBytes = written.readableBytes();
        bytesSinceFlush = Math.min(BATCH_BYTES, bytesSinceFlush + lastBatchBytes);
        ChannelPromise promise = batchPromise(ctx);
        batchPromises.clear();
        if (payload != null) {
            CompositeByteBuf joined;
            try {
                joined = ctx.alloc().compositeBuffer(2);
            } catch (Throwable e) {
                // The batch's frames fail together (their promises), and nothing of theirs is kept.
                written.release();
                payload.release();
                promise.tryFailure(e);
                return;
            }
            try {
                written = joined.addComponents(true, written, payload);
            } catch (Throwable e) {
                // Adding owns both: what it did not take it has released, what it took goes with the composite.
                joined.release();
                promise.tryFailure(e);
                return;
            }
        }
        ctx.write(written, promise);
    }

    private ChannelPromise batchPromise(ChannelHandlerContext ctx) {
        switch (batchPromises.size()) {
            case 0:
                return ctx.voidPromise();
            case 1:
                return batchPromises.get(0);
            default:
                ChannelPromise all = ctx.newPromise();
                all.addListener(new PromiseNotifier<>(batchPromises.toArray(new ChannelPromise[0])));
                return all;
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        writeBatch(ctx, null);
        roomAfterFlush = bytesSinceFlush;
        bytesSinceFlush = 0;
        ctx.flush();
    }

    /** What was written before a close is handed on first, so the channel fails or sends it as any other write. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        writeBatch(ctx, null);
        ctx.close(promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        writeBatch(ctx, null);
        ctx.disconnect(promise);
    }

    /** Written after the channel closed and never flushed: released, its promises failed. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (batch != null) {
            batch.release();
            batch = null;
            ClosedChannelException closed = new ClosedChannelException();
            for (ChannelPromise promise : batchPromises) {
                promise.tryFailure(closed);
            }
            batchPromises.clear();
        }
    }
}
