package io.msf.agent.internal.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes of one connection where they are bytes: in front of the codec. Only the
 * channel's event loop writes the counters, so plain volatile fields do.
 *
 * <p>It also keeps the connection's share of the agent's {@link QueuedBytesBudget}: the bytes it
 * writes are in the connection's outbound queue (the one its high-water mark bounds) from here until
 * their write completes, or fails as the connection closes. Once the connection is cut off it
 * {@link #leaveBudget leaves the budget}: what it still holds goes within a second ({@code
 * MalformedFrameHandler.CLOSE_GRACE_MILLIS}), and counted, it would cut off the next peer too.
 */
final class ChannelMeter extends ChannelDuplexHandler {

    private final QueuedBytesBudget budget;
    private volatile long bytesIn;
    private volatile long bytesOut;
    /** This connection's bytes in the budget; read by the broker's search for the largest queue. */
    private volatile long queuedBytes;
    /** On the loop only: the connection was cut off or closed, and counts no more. */
    private boolean leftBudget;

    ChannelMeter(QueuedBytesBudget budget) {
        this.budget = budget;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            bytesIn += ((ByteBuf) msg).readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf)) {
            ctx.write(msg, promise);
            return;
        }
        int bytes = ((ByteBuf) msg).readableBytes();
        bytesOut += bytes;
        if (leftBudget || bytes == 0) {
            ctx.write(msg, promise);
            return;
        }
        // The encoder batches frames into few buffers: a promise per buffer, not per message. unvoid keeps
        // a void promise's failure going to exceptionCaught.
        ChannelPromise done = promise.unvoid();
        done.addListener(future -> {
            if (!leftBudget) {
                queuedBytes -= bytes;
                budget.release(bytes);
            }
        });
        queuedBytes += bytes;
        budget.add(bytes, ctx.executor());
        ctx.write(msg, done);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        leaveBudget();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        leaveBudget();
    }

    /** Gives back this connection's bytes and counts none from now on; on the loop, once. */
    void leaveBudget() {
        if (leftBudget) {
            return;
        }
        leftBudget = true;
        long held = queuedBytes;
        queuedBytes = 0;
        budget.release(held);
    }

    long queuedBytes() {
        return queuedBytes;
    }

    long bytesIn() {
        return bytesIn;
    }

    long bytesOut() {
        return bytesOut;
    }
}
