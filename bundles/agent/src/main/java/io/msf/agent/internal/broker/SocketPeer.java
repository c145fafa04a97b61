package io.msf.agent.internal.broker;

import io.msf.agent.api.PeerKind;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.codec.MalformedFrameHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A process connected over the Unix domain socket or TCP, once its HELLO is accepted.
 *
 * <p>Messages to it are written from whatever thread routes them; Netty queues them on the
 * connection's event loop. The queue is bounded by the channel's write-buffer high-water mark:
 * once a peer lets it pass that mark it is cut off (ERROR OVERLOADED with CLOSING, then closed),
 * and everything routed to it from then on is dropped, so a slow reader costs at most its
 * high-water mark of memory and slows nobody else.
 */
final class SocketPeer extends Peer implements Subscriber {

    private final Broker broker;
    private final Channel channel;
    private final ChannelMeter meter;
    private final int peerMaxFrameBytes;
    private final AtomicBoolean cut = new AtomicBoolean();
    private final AtomicBoolean answeredConnectionCode = new AtomicBoolean();
    /** Requests given to this connection by requesters that have left since; its answers to them are dropped. */
    final OrphanedRequests orphans = new OrphanedRequests();
    /**
     * The checks of answers that matched no request of this connection while the connections it took
     * over still had to record their orphans ({@link #waitForOrphans}); null otherwise. On its loop only.
     */
    private ArrayDeque<Runnable> unmatchedAnswers;

    SocketPeer(Broker broker, int id, String name, PeerKind kind, String origin, Channel channel, ChannelMeter meter,
            int peerMaxFrameBytes) {
        super(id, name, kind, origin, new LoopOutstandingRequests(channel.eventLoop(), broker::timedOut));
        this.broker = broker;
        this.channel = channel;
        this.meter = meter;
        this.peerMaxFrameBytes = peerMaxFrameBytes;
        // The mark in force now: the settings may have changed since the channel was set up for its HELLO.
        highWater(broker.settings().outboundHighWaterBytes());
    }

    /** Bounds the bytes queued for the peer: past {@code bytes} it is cut off (msf.agent outboundHighWaterBytes). */
    void highWater(int bytes) {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(bytes / 2, bytes));
    }

    @Override
    void deliver(Message message) {
        if (cut.get()) {
            message.release();
            return;
        }
        ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
        if (queue == null || !queue.isWritable()) {
            message.release();
            // No queue: the connection is closed, its end (Broker.departed) still on its way; it left, it is not slow.
            if (queue != null) {
                cutOff();
            }
            return;
        }
        stats.messagesOut.increment();
        // Failures of the write (a closed channel) reach the session's exceptionCaught.
        channel.writeAndFlush(message, channel.voidPromise());
    }

    /**
     * A NOTIFY from {@code from}. The connection may close before it is written: on its own loop, the
     * queue is gone then; from another loop, the write waits for this connection's loop, which may
     * close the connection first; and a write on any loop may wait, in the encoder's batch until the
     * consolidated flush or in the outbound queue behind a slow reader, for a connection that ends
     * before it goes out. Either way the sender is told, as of any NOTIFY the agent could not
     * deliver, instead of losing it without a word: every NOTIFY pays for a promise, which PUBLISH
     * and REPLY, the hot paths, do not.
     */
    @Override
    void deliverNotification(Message notification, Peer from) {
        ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
        if (queue != null && !queue.isWritable()) {
            cutOff();
        }
        if (cut.get() || queue == null) {
            undelivered(from, notification.command(), notification.sequence(), cut.get() ? "it was being closed" : "it left");
            notification.release();
            return;
        }
        int command = notification.command();
        long sequence = notification.sequence();
        ChannelPromise written = channel.newPromise();
        written.addListener(future -> {
            if (future.isSuccess()) {
                return;
            }
            if (future.cause() instanceof ClosedChannelException || !channel.isActive()) {
                undelivered(from, command, sequence, "it left");
            } else {
                // Not the sender's affair (a frame the encoder refused): reported as the void promise would.
                channel.pipeline().fireExceptionCaught(future.cause());
            }
        });
        stats.messagesOut.increment();
        channel.writeAndFlush(notification, written);
    }

    /** Counted as routed when it was handed here: now it is one PEER_OFFLINE, as one that finds no peer is. */
    private void undelivered(Peer from, int command, long sequence, String why) {
        broker.totals.routed.decrement();
        broker.totals.peerOffline.increment();
        from.error(ErrorCode.PEER_OFFLINE, command, sequence, "the NOTIFY to " + label() + " was not delivered: "
                + why + " before it could be written");
    }

    @Override
    void error(ErrorCode code, int command, long sequence, String detail) {
        stats.errors.increment();
        deliver(Failures.frame(code, id, command, sequence, detail));
    }

    @Override
    public boolean publication(Message publication) {
        if (cut.get() || !channel.isActive()) {
            return false;
        }
        deliver(Frames.encodedPublication(publication, id));
        return !cut.get();
    }

    @Override
    public String subscriberLabel() {
        return name.isEmpty() ? "#" + Integer.toUnsignedString(id) : name;
    }

    @Override
    int maxFrameBytes() {
        return peerMaxFrameBytes;
    }

    /**
     * The bytes waiting in the connection over the mean frame sent to it so far: the encoder puts many
     * frames into one buffer, so the outbound queue's entries are not messages.
     */
    @Override
    int queueDepth() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        long waiting = buffer == null ? 0 : buffer.totalPendingWriteBytes();
        if (waiting <= 0) {
            return 0;
        }
        long meanFrame = Math.max(Frames.HEADER_BYTES, meter.bytesOut() / Math.max(1, stats.messagesOut.sum()));
        return (int) Math.min(Integer.MAX_VALUE, (waiting + meanFrame - 1) / meanFrame);
    }

    @Override
    long bytesIn() {
        return meter.bytesIn();
    }

    @Override
    long bytesOut() {
        return meter.bytesOut();
    }

    /** The peer passed its high-water mark: tell it so and close, once. */
    void cutOff() {
        if (!cut.compareAndSet(false, true)) {
            return;
        }
        broker.totals.overloaded.increment();
        stats.errors.increment();
        int mark = channel.config().getWriteBufferHighWaterMark();
        departing("cut off: its outbound queue passed the high-water mark of " + mark + " bytes");
        broker.log.warn("agent peer {} from {} cut off: its outbound queue passed the high-water mark of {} bytes"
                + " (msf.agent outboundHighWaterBytes); it reads too slowly", label(), origin, mark);
        closeWith(ErrorCode.OVERLOADED, "outbound queue over its high-water mark of " + mark + " bytes: read faster");
        leaveBudget();
    }

    /**
     * The queues of all connections together passed the agent's budget, and this one's, of {@code queued}
     * bytes, is the largest: tell it so and close, once, as at its own high-water mark.
     */
    void cutOffOverBudget(long budget, long queued) {
        if (!cut.compareAndSet(false, true)) {
            return;
        }
        broker.totals.overloaded.increment();
        stats.errors.increment();
        departing("cut off: the agent's outbound queues passed their budget of " + budget + " bytes, and its own, of "
                + queued + " bytes, was the largest");
        broker.log.warn("agent peer {} from {} cut off: the outbound queues of all peers passed their budget of {}"
                + " bytes (msf.agent maxQueuedBytes), and its own, of {} bytes, was the largest; it reads too slowly",
                label(), origin, budget, queued);
        closeWith(ErrorCode.OVERLOADED, "the agent's outbound queues passed their budget of " + budget
                + " bytes (maxQueuedBytes), and yours was the largest: read faster");
        leaveBudget();
    }

    /** What it holds goes within a second now ({@link #closeWith}): counted, it would cut off the next one too. */
    private void leaveBudget() {
        try {
            channel.eventLoop().execute(meter::leaveBudget);
        } catch (RejectedExecutionException ended) {
            // The loop has ended, and the connection with it: its writes failed, and gave their bytes back.
        }
    }

    /** The bytes queued for it, as the agent's budget counts them. */
    long queuedBytes() {
        return meter.queuedBytes();
    }

    /**
     * True the first time the peer answers a request with a code about a connection, which the
     * broker does not pass on ({@link Broker#answerFrom}): then it is warned of, later only logged.
     */
    boolean firstConnectionCodeAnswered() {
        return answeredConnectionCode.compareAndSet(false, true);
    }

    /** True once it was cut off or taken over: nothing goes to it any more but its closing ERROR. */
    boolean isCut() {
        return cut.get();
    }

    /** Another connection took over this one's id or name (HELLO with REPLACE). */
    void displaced(ErrorCode code, String detail) {
        departing("taken over: " + detail);
        cut.set(true);
        closeWith(code, detail);
        leaveBudget();
    }

    /**
     * Sends a closing ERROR past the queue bound and closes once it is written, or after the codec's
     * grace: the queue ahead of the ERROR may never drain if the peer has stopped reading (a slow reader,
     * or a hung process that a new connection replaced). Only the first reason is sent.
     */
    private void closeWith(ErrorCode code, String detail) {
        MalformedFrameHandler.closeWith(channel, Message.closingError(code, Failures.text(detail)));
    }

    /**
     * Its REPLACE took over connections on other loops, which record their requests as orphans there
     * later: an answer to one of them that comes meanwhile is routed here, finds no request, and
     * must be checked against those orphans only once they are recorded ({@link #stopWaitingForOrphans}).
     */
    void waitForOrphans() {
        assert channel.eventLoop().inEventLoop();
        unmatchedAnswers = new ArrayDeque<>();
    }

    /** The orphans are recorded, or this connection closes: the answers that waited are checked now. */
    void stopWaitingForOrphans() {
        assert channel.eventLoop().inEventLoop();
        ArrayDeque<Runnable> checks = unmatchedAnswers;
        unmatchedAnswers = null;
        if (checks != null) {
            checks.forEach(Runnable::run);
        }
    }

    @Override
    void checkUnmatchedAnswer(Runnable check) {
        assert channel.eventLoop().inEventLoop();
        if (unmatchedAnswers != null) {
            unmatchedAnswers.add(check);
        } else {
            check.run();
        }
    }

    /** The loop that owns the connection, and with it its outstanding requests. */
    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    void close() {
        channel.close();
    }
}
