package io.msf.net.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteOrder;

/**
 * Cuts a stream into frames, each preceded by its big-endian length, as {@link LengthFieldBasedFrameDecoder}
 * does (the length field stripped), refusing a frame over {@code maxFrameBytes} as soon as its length field is
 * read, before any of it is buffered. The refusal says what the peer announced and what the endpoint takes, in
 * the configuration's terms: Netty's own words count the length field in both ("Adjusted frame length exceeds
 * 1048580: 2000004 - discarded" for a frame of 2000000 bytes over maxFrameBytes=1048576).
 *
 * <pre>
 * ... - msf-bytes - msf-frame-decoder (this) - msf-frame-encoder - msf-frames - ...
 * </pre>
 */
final class BoundedFrameDecoder extends LengthFieldBasedFrameDecoder {

    private final int maxFrameBytes;
    /** The length the last field read announced. */
    private long announced;

    BoundedFrameDecoder(int maxFrameBytes, int lengthFieldBytes) {
        // maxFrameLength counts the length field too. failFast: refused once the field is read.
        super(maxFrameBytes + lengthFieldBytes, 0, lengthFieldBytes, 0, lengthFieldBytes, true);
        this.maxFrameBytes = maxFrameBytes;
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
            TooLongFrameException named = new TooLongFrameException("frame of " + announced
                    + " bytes announced, larger than maxFrameBytes=" + maxFrameBytes);
            named.initCause(e);
            throw named;
        }
    }
}
