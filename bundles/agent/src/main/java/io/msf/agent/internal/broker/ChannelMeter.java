package io.msf.agent.internal.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes of one connection where they are bytes: in front of the codec. Only the
 * channel's event loop writes the counters, so plain volatile fields do.
 */
final class ChannelMeter extends ChannelDuplexHandler {

    private volatile long bytesIn;
    private volatile long bytesOut;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            bytesIn += ((ByteBuf) msg).readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf) {
            bytesOut += ((ByteBuf) msg).readableBytes();
        }
        ctx.write(msg, promise);
    }

    long bytesIn() {
        return bytesIn;
    }

    long bytesOut() {
        return bytesOut;
    }
}
