package io.msf.net.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Cuts a stream into frames, each preceded by its big-endian length, as {@link LengthFieldBasedFrameDecoder}
 * does (the length field stripped), refusing a frame over {@code maxFrameBytes} as soon as its length field is
 * read, before any of it is buffered. The refusal says what the peer announced and what the endpoint takes, in
 * the configuration's terms: Netty's own words count the length field in both ("Adjusted frame length exceeds
 * 1048580: 2000004 - discarded" for a frame of 2000000 bytes over maxFrameBytes=1048576).
 *
 * <p>A frame cut short by the end of the input (the peer's close, or half-close) is told as a
 * {@link TruncatedFrameException} saying how many of its bytes came: Netty's decoder drops them without a word,
 * and a peer that died in the middle of a frame looked like one that had finished. As the agent's codec does, it is
 * fired down the pipeline rather than thrown: thrown, it would reach the handlers behind only after the end of the
 * input, or, at a half-close, never. A connection this end closed, with the rest of a frame unread, is no
 * frame cut short by the peer: it is not told.
 *
 * <pre>
 * ... - msf-bytes - msf-frame-decoder (this) - msf-frame-encoder - msf-frames - ...
 * </pre>
 */
final class BoundedFrameDecoder extends LengthFieldBasedFrameDecoder {

    private final int maxFrameBytes;
    private final int lengthFieldBytes;
    /** The length the last field read announced. */
    private long announced;
    /** Set once a frame was refused as too large: what is left at the end is the rest of it, told already. */
    private boolean refused;

    BoundedFrameDecoder(int maxFrameBytes, int lengthFieldBytes) {
        // failFast: refused once the field is read.
        super(maxFrameLength(maxFrameBytes, lengthFieldBytes), 0, lengthFieldBytes, 0, lengthFieldBytes, true);
        this.maxFrameBytes = maxFrameBytes;
        this.lengthFieldBytes = lengthFieldBytes;
    }

    /**
     * Netty's maxFrameLength, which counts the length field too. A maxFrameBytes near Integer.MAX_VALUE (code's
     * "no limit"; configuration stops at 64 MiB) overflowed with the field added, and Netty refused the negative
     * bound at every connection; no buffer holds more than Integer.MAX_VALUE bytes anyway.
     */
    private static int maxFrameLength(int maxFrameBytes, int lengthFieldBytes) {
        return (int) Math.min((long) maxFrameBytes + lengthFieldBytes, Integer.MAX_VALUE);
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        announced = super.getUnadjustedFrameLength(buf, offset, length, order);
        return announced;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        try {
            return super.decode(ctx, in);
        } catch (TooLongFrameException e) {
            refused = true;
            TooLongFrameException named = new TooLongFrameException("frame of " + announced
                    + " bytes announced, larger than maxFrameBytes=" + maxFrameBytes);
            named.initCause(e);
            throw named;
        }
    }

    /**
     * Called at the end of the input with what is left once every whole frame was handed on. Netty calls it again
     * when a half-closed connection closes, with nothing left then: one end, told once.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (refused || !in.isReadable() || closedHere(ctx)) {
            return;
        }
        int readable = in.readableBytes();
        String what = readable < lengthFieldBytes
                ? readable + " of the " + lengthFieldBytes + " bytes of its length field"
                : (readable - lengthFieldBytes) + " of its "
                        + getUnadjustedFrameLength(in, in.readerIndex(), lengthFieldBytes, ByteOrder.BIG_ENDIAN) + " bytes";
        in.skipBytes(readable);
        ctx.fireExceptionCaught(new TruncatedFrameException("truncated frame: the connection closed after " + what));
    }

    /** Closed by this end: by the owner, the endpoint, an error told already, or for being idle. */
    private static boolean closedHere(ChannelHandlerContext ctx) {
        return ctx.channel().attr(ByteCounter.CLOSED_HERE).get() != null
                || ctx.channel().attr(IdleConnectionCloser.CLOSED_IDLE).get() != null;
    }
}
