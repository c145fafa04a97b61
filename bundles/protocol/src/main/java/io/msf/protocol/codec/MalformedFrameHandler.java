package io.msf.protocol.codec;

import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection whose peer sent a malformed frame: tells the peer why with an ERROR frame
 * flagged {@link Message#FLAG_CLOSING} (when it can still hear it), then closes once it is written,
 * or {@link #CLOSE_GRACE_MILLIS} later if it is not. Sits right behind the codec; the exception
 * travels on, so the handlers behind can count and log it.
 */
@Sharable
public final class MalformedFrameHandler extends ChannelInboundHandlerAdapter {

    public static final MalformedFrameHandler INSTANCE = new MalformedFrameHandler();

    /** How long the closing ERROR may take to be written before the connection closes without it. */
    static final long CLOSE_GRACE_MILLIS = 1000;

    /** Keeps the ERROR frame far below the smallest frame limit. */
    private static final int MAX_DETAIL_CHARS = 300;

    private MalformedFrameHandler() {
    }

    /**
     * Writes {@code closingError} (taken over) and closes the connection once it is written, or
     * {@link #CLOSE_GRACE_MILLIS} later if it is not: for any end of a connection whose peer broke
     * the protocol, so that a peer that stopped reading cannot keep it open. Call on the event loop.
     *
     * @since 2.3
     */
    public static void closeWith(ChannelHandlerContext ctx, Message closingError) {
        // The ERROR may never be written: it queues behind what a peer that stopped reading left.
        // Scheduled first (the write may complete at once), cancelled once written: a peer sending
        // junk in a loop leaves no pipelines waiting in the loop's schedule.
        ScheduledFuture<?> deadline = ctx.executor().schedule(() -> {
            ctx.close();
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        ctx.writeAndFlush(closingError).addListener(written -> {
            deadline.cancel(false);
            ctx.close();
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof MalformedFrameException malformed) {
            if (ctx.channel().isActive()) {
                String detail = malformed.getMessage();
                if (detail.length() > MAX_DETAIL_CHARS) {
                    detail = detail.substring(0, MAX_DETAIL_CHARS);
                }
                closeWith(ctx, Message.closingError(malformed.code(), ByteBufUtil.writeUtf8(ctx.alloc(), detail)));
            } else {
                ctx.close();
            }
        }
        ctx.fireExceptionCaught(cause);
    }
}
