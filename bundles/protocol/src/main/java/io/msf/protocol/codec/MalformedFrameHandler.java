package io.msf.protocol.codec;

import io.msf.protocol.api.Message;
import io.msf.text.Cut;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.util.AttributeKey;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection whose peer sent a malformed frame: tells the peer why with an ERROR frame
 * flagged {@link Message#FLAG_CLOSING} (when it can still hear it), then closes once it is written,
 * or {@link #CLOSE_GRACE_MILLIS} later if it is not. Sits right behind the codec; the exception
 * travels on, so the handlers behind can count and log it. A connection is told why it ends once: after
 * the first {@link #closeWith} (this handler's, or one of the handlers behind for a breach they found),
 * a malformed frame read before the close is neither answered nor passed on.
 */
@Sharable
public final class MalformedFrameHandler extends ChannelInboundHandlerAdapter {

    public static final MalformedFrameHandler INSTANCE = new MalformedFrameHandler();

    /** How long the closing ERROR may take to be written before the connection closes without it. */
    static final long CLOSE_GRACE_MILLIS = 1000;

    /** Set by the first {@link #closeWith} on a channel: the connection is ending, its reason told. */
    private static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf(MalformedFrameHandler.class, "closing");

    /** Keeps the ERROR frame far below the smallest frame limit. */
    private static final int MAX_DETAIL_CHARS = 300;

    private MalformedFrameHandler() {
    }

    /**
     * Writes {@code closingError} (taken over) and closes the connection once it is written, or
     * {@link #CLOSE_GRACE_MILLIS} later if it is not: for any end of a connection whose peer broke
     * the protocol, so that a peer that stopped reading cannot keep it open. Written from {@code ctx}'s
     * place in the pipeline. Only the first call on a connection writes (later ones release their ERROR):
     * a connection is told why it ends once. A channel whose event loop has ended is gone already: its
     * ERROR is released. Call on the event loop.
     *
     * @since 2.3
     */
    public static void closeWith(ChannelHandlerContext ctx, Message closingError) {
        closeWith(ctx.channel(), ctx, closingError);
    }

    /**
     * As the other {@code closeWith}, written from the pipeline's tail: for code that holds the channel
     * rather than a handler's context (a broker cutting off a peer that reads too slowly). From any thread.
     *
     * @since 2.4
     */
    public static void closeWith(Channel channel, Message closingError) {
        closeWith(channel, channel, closingError);
    }

    private static boolean isClosing(Channel channel) {
        return channel.hasAttr(CLOSING) && channel.attr(CLOSING).get() != null;
    }

    private static void closeWith(Channel channel, ChannelOutboundInvoker out, Message closingError) {
        if (!channel.attr(CLOSING).compareAndSet(null, Boolean.TRUE)) {
            closingError.release();
            return;
        }
        // The ERROR may never be written: it queues behind what a peer that stopped reading left.
        // Scheduled first (the write may complete at once), cancelled once written: a peer sending
        // junk in a loop leaves no pipelines waiting in the loop's schedule.
        ScheduledFuture<?> deadline;
        try {
            deadline = channel.eventLoop().schedule(() -> {
                out.close();
            }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException ended) {
            // The channel's event loop has ended, and the connection with it: nothing can write the ERROR
            // any more. Thrown, it failed the caller (a broker cutting a peer off, on another thread) and
            // left the ERROR it had taken over unreleased.
            closingError.release();
            return;
        }
        out.writeAndFlush(closingError).addListener(written -> {
            deadline.cancel(false);
            out.close();
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof MalformedFrameException malformed) {
            if (isClosing(ctx.channel())) {
                return; // read after a breach already told, before the close: not a second fault
            }
            if (ctx.channel().isActive()) {
                String detail = Cut.atMost(malformed.getMessage(), MAX_DETAIL_CHARS);
                closeWith(ctx, Message.closingError(malformed.code(), ByteBufUtil.writeUtf8(ctx.alloc(), detail)));
            } else {
                ctx.close();
            }
        }
        ctx.fireExceptionCaught(cause);
    }
}
