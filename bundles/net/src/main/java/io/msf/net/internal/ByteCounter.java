package io.msf.net.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes an endpoint reads and writes. First in the pipeline, so it sees the wire:
 * inbound before framing strips length fields, outbound after framing adds them. On a stream
 * without framing it counts the inbound chunks as frames too, which saves a second handler (and
 * its hop) on every read.
 */
@Sharable
final class ByteCounter extends ChannelDuplexHandler {

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
