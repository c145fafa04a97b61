package io.msf.client.internal;

import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Notices a dead agent: once registered, it PINGs the agent every interval, and when no byte at
 * all came in for {@link #MISSES} intervals it declares the connection dead and closes it (a live
 * agent answers every PING, so silence that long means the peer or the path is gone, which TCP
 * alone may not notice for minutes). Bytes count, not frames: a large frame on a slow path may
 * take longer than that to arrive, and the agent's PONGs wait behind it; the decoder bounds a
 * frame by {@code maxFrameBytes}, so bytes keep coming only while one is being sent. It sits in
 * front of the decoder, behind the encoder (its PINGs are frames):
 *
 * <pre>
 * [tls] - agent-frame-encoder - agent-flush - heartbeat - agent-frame-decoder - agent-malformed-frames - session
 * </pre>
 *
 * Time is read from the event loop's ticker. The agent's own PINGs are answered by the session.
 */
final class Heartbeat extends ChannelInboundHandlerAdapter {

    /** Intervals without a byte before the connection counts as dead; the agent's default too. */
    static final int MISSES = 3;

    private final long intervalNanos;
    private final LongSupplier sequences;
    private long lastReadNanos;
    private ScheduledFuture<?> ticks;

    Heartbeat(long intervalNanos, LongSupplier sequences) {
        this.intervalNanos = intervalNanos;
        this.sequences = sequences;
    }

    /** Starts pinging: the agent accepted the HELLO (a PING before it would be refused). */
    void start(ChannelHandlerContext ctx) {
        lastReadNanos = ctx.executor().ticker().nanoTime();
        ticks = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), intervalNanos, intervalNanos,
                TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = ctx.executor().ticker().nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void tick(ChannelHandlerContext ctx) {
        long silentNanos = ctx.executor().ticker().nanoTime() - lastReadNanos;
        if (silentNanos >= MISSES * intervalNanos) {
            stop();
            ctx.fireExceptionCaught(new AgentException(ErrorCode.PEER_OFFLINE, "nothing from the agent for "
                    + TimeUnit.NANOSECONDS.toMillis(silentNanos) + " ms (" + MISSES + " heartbeats of "
                    + TimeUnit.NANOSECONDS.toMillis(intervalNanos) + " ms): connection presumed dead"));
            return;
        }
        ctx.writeAndFlush(Message.ping(sequences.getAsLong()), ctx.voidPromise());
    }

    private void stop() {
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
    }
}
