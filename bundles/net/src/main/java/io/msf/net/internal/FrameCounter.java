package io.msf.net.internal;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Counts inbound messages once framing has cut them: whole frames, chunks without framing, or datagrams. */
@Sharable
final class FrameCounter extends ChannelInboundHandlerAdapter {

    private final EndpointCounters counters;

    FrameCounter(EndpointCounters counters) {
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        counters.framesIn.increment();
        ctx.fireChannelRead(msg);
    }
}
