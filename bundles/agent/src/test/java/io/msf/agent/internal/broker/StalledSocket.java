package io.msf.agent.internal.broker;

import io.msf.protocol.api.Message;
import io.msf.protocol.api.Protocol;
import io.msf.protocol.codec.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * For an {@link EmbeddedChannel} that stands for an agent connection: a socket whose peer reads nothing,
 * every write waiting, its promise never completed; and the bytes of a frame as a peer sends them.
 */
final class StalledSocket extends ChannelOutboundHandlerAdapter {

    final List<Object> held = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        held.add(msg);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        // nothing leaves
    }

    void release() {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }

    /** {@code message} encoded, as the bytes a peer writes. */
    static ByteBuf frame(Message message) {
        EmbeddedChannel encoder = new EmbeddedChannel(new FrameEncoder(Protocol.SMALLEST_FRAME_LIMIT));
        encoder.writeOutbound(message);
        ByteBuf bytes = Unpooled.buffer();
        for (ByteBuf part = encoder.readOutbound(); part != null; part = encoder.readOutbound()) {
            bytes.writeBytes(part);
            part.release();
        }
        encoder.finishAndReleaseAll();
        return bytes;
    }
}
