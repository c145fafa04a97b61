package io.msf.net.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;

/**
 * Counts the bytes an endpoint reads and writes. First in the pipeline, so it sees the wire:
 * inbound before framing strips length fields, outbound after framing adds them. On a stream
 * without framing it counts the inbound chunks as frames too, which saves a second handler (and
 * its hop) on every read.
 *
 * <p>Every close made here passes it (the owner's, the endpoint's, the error handler's, the close after a
 * half-close), all but the idle closer's, which goes in front of it: it marks the connection
 * {@link #CLOSED_HERE}. A close of the peer's, which Netty makes itself, does not pass.
 */
@Sharable
final class ByteCounter extends ChannelDuplexHandler {

    /**
     * Set on a connection this end closed: the rest of a frame it leaves unread is no frame the peer cut short
     * ({@link BoundedFrameDecoder}).
     */
    static final AttributeKey<Boolean> CLOSED_HERE = AttributeKey.valueOf("msf.closedHere");

    private final EndpointCounters counters;
    private final boolean countsChunksAsFrames;

    /** @param countsChunksAsFrames true where nothing cuts frames: each chunk read is one of them */
    ByteCounter(EndpointCounters counters, boolean countsChunksAsFrames) {
        this.counters = counters;
        this.countsChunksAsFrames = countsChunksAsFrames;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        counters.bytesIn.add(size(msg));
        if (countsChunksAsFrames) {
            counters.framesIn.increment();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        counters.bytesOut.add(size(msg));
        ctx.write(msg, promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        ctx.channel().attr(CLOSED_HERE).set(Boolean.TRUE);
        ctx.close(promise);
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf) {
            return ((ByteBuf) msg).readableBytes();
        }
        if (msg instanceof ByteBufHolder) {
            return ((ByteBufHolder) msg).content().readableBytes();
        }
        return 0;
    }
}
