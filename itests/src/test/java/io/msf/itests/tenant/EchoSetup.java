package io.msf.itests.tenant;

import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointSpec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Sends every inbound frame back unchanged (the network service strips and adds the length field). */
public final class EchoSetup implements ChannelSetup {

    /** The handler name configured endpoints use to pick this setup. */
    public static final String HANDLER = "itest-echo";

    private static final Echo ECHO = new Echo();

    @Override
    public void initChannel(Channel channel, EndpointSpec endpoint) {
        channel.pipeline().addLast(ECHO);
    }

    @Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }
}
