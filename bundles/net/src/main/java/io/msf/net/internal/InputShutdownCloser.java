package io.msf.net.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.log.Logger;

/**
 * Closes a connection whose peer has shut down its output (a half-close: {@code shutdownOutput()}
 * after its last request), once what was written to it before has gone out: the peer gets the
 * answers to everything it sent, then the end. Stream endpoints allow half-closure, so the end of the
 * input no longer closes the connection at once, dropping the answers still on their way.
 *
 * <p>A peer that has said its last word and does not read what is left for it would keep the connection
 * (and the answers queued for it) for ever: with its input shut down, nothing it sends can show that it
 * is still there. The connection is closed once none of those bytes went out for {@code stallMillis}; a
 * peer that reads, however slowly, gets them all.
 *
 * <p>Behind the owner's handlers: Netty's decoders hand on the frames complete at the end of the input
 * first, and an owner whose answers come later (from another thread, after the end of the input), or
 * whose encoder holds frames back, keeps the {@link ChannelInputShutdownEvent} until it has written its
 * answers (and had its encoder hand them on), then passes it on: the stall check covers its connection
 * too, which an owner that closes the connection itself would go without. Only that event reaches this
 * handler: its other methods are skipped by Netty.
 *
 * <pre>
 * ... the owner's handlers - msf-input-shutdown - msf-errors
 * </pre>
 */
@Sharable
final class InputShutdownCloser extends ChannelInboundHandlerAdapter {

    /**
     * How long a peer that shut down its output may take no byte of its answers before the connection is
     * closed: a minute, long beside any reader's pause, short beside the connection held for ever.
     */
    static final long STALL_MILLIS = 60_000;

    /** The handler in front of which the closing write goes in: below the framing, which would frame it. */
    private static final String BELOW_FRAMING = "msf-bytes";

    private final EndpointLabel endpoint;
    private final long stallMillis;
    private final Logger log;

    InputShutdownCloser(EndpointLabel endpoint, long stallMillis, Logger log) {
        if (stallMillis <= 0) {
            throw new IllegalArgumentException("stallMillis must be positive: " + stallMillis);
        }
        this.endpoint = endpoint;
        this.stallMillis = stallMillis;
        this.log = log;
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
    private void closeOnceWritten(ChannelHandlerContext ctx) {
        ctx.flush();
        ChannelHandlerContext wire = ctx.pipeline().context(BELOW_FRAMING);
        ChannelFuture written = (wire != null ? wire : ctx).writeAndFlush(Unpooled.EMPTY_BUFFER)
                .addListener(ChannelFutureListener.CLOSE);
        if (!written.isDone()) {
            new StallWatch(ctx.channel()).schedule();
        }
    }

    /**
     * Closes the connection once a whole {@link #stallMillis} passed without any of its queued bytes going
     * out. Progress is read as Netty's IdleStateHandler reads it (the message being written, how much of it
     * went, how much waits), on the channel's loop, only for connections whose input has ended.
     */
    private final class StallWatch implements Runnable {

        private final Channel channel;
        private Object message;
        private long progress;
        private long pending;
        /** The next look; read and written on the channel's loop only. */
        private ScheduledFuture<?> next;

        StallWatch(Channel channel) {
            this.channel = channel;
            ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
            if (out != null) {
                moved(out);
            }
        }

        /** Looks in {@link #stallMillis}; the first time, also makes the connection's close cancel the look. */
        void schedule() {
            boolean first = next == null;
            next = channel.eventLoop().schedule(this, stallMillis, TimeUnit.MILLISECONDS);
            if (first) {
                // A closed channel (its pipeline, a TLS engine) is not kept until the look is due.
                channel.closeFuture().addListener(closed -> next.cancel(false));
            }
        }

        @Override
        public void run() {
            ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
            if (!channel.isOpen() || out == null) {
                return; // closed, or closing
            }
            if (moved(out)) {
                schedule();
                return;
            }
            // DEBUG, as for an idle connection: any peer can do this, as often as it likes.
            log.debug("{}: closing the connection with {}: it shut down its output and took none of the {} bytes"
                    + " left for it in {} ms", endpoint.get(), Peers.peer(channel), pending, stallMillis);
            channel.close();
        }

        /**
         * Whether any of the queued bytes went out since the last look, and remembers what is queued now. More
         * bytes queued is no progress: an owner that keeps writing to a peer that does not read must not keep
         * the connection.
         */
        private boolean moved(ChannelOutboundBuffer out) {
            Object current = out.current();
            long currentProgress = out.currentProgress();
            long total = out.totalPendingWriteBytes();
            boolean moved = current != message || currentProgress != progress || total < pending;
            message = current;
            progress = currentProgress;
            pending = total;
            return moved;
        }
    }
}
