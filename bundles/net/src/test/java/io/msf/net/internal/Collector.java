package io.msf.net.internal;

import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test handler that keeps a copy of every message (frame or datagram) its channels receive. */
@Sharable
final class Collector extends SimpleChannelInboundHandler<Object> implements ChannelSetup {

    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

    @Override
    public void initChannel(Channel channel, EndpointSpec endpoint) {
        channel.pipeline().addLast(this);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        ByteBuf content = msg instanceof DatagramPacket ? ((DatagramPacket) msg).content() : (ByteBuf) msg;
        received.add(ByteBufUtil.getBytes(content));
    }

    /** Whether no message is waiting. */
    boolean isEmpty() {
        return received.isEmpty();
    }

    /** The next message, or null if none came within 5 seconds. */
    byte[] next() throws InterruptedException {
        return received.poll(5, TimeUnit.SECONDS);
    }
}
