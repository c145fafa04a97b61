package io.msf.net.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * Closes a connection whose peer has shut down its output (a half-close: {@code shutdownOutput()}
 * after its last request), once what was written to it before has gone out: the peer gets the
 * answers to everything it sent, then the end. Stream endpoints allow half-closure, so the end of the
 * input no longer closes the connection at once, dropping the answers still on their way.
 *
 * <p>Behind the owner's handlers: Netty's decoders hand on the frames complete at the end of the input
 * first, and an owner whose answers come later (from another thread, after the end of the input) takes
 * the {@link ChannelInputShutdownEvent} itself, does not pass it on, and closes the connection once it
 * has answered. Only that event reaches this handler: its other methods are skipped by Netty.
 */
@Sharable
final class InputShutdownCloser extends ChannelInboundHandlerAdapter {

    static final InputShutdownCloser INSTANCE = new InputShutdownCloser();

    /** The handler in front of which the closing write goes in: below the framing, which would frame it. */
    private static final String BELOW_FRAMING = "msf-bytes";

    private InputShutdownCloser() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            closeOnceWritten(ctx);
        }
        ctx.fireUserEventTriggered(event);
    }

    /**
     * An empty write goes out after everything written before it (Netty completes writes in order), so its
     * end closes the connection once those went out; below the framing, which would frame it.
     */
    private static void closeOnceWritten(ChannelHandlerContext ctx) {
        ctx.flush();
        ChannelHandlerContext wire = ctx.pipeline().context(BELOW_FRAMING);
        (wire != null ? wire : ctx).writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
}
