package io.msf.client.internal;

import io.msf.protocol.api.Message;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The frames on their way to one connection. Every frame the client writes goes through here, so
 * they leave in the order they were sent, whichever thread sent them. The first frame into an empty
 * outbox schedules one task on the event loop, which writes every frame queued by then (up to
 * {@link #FRAMES_PER_TASK}) and flushes once: a burst of publications so costs one task and one
 * {@code write(2)}, instead of a write task, a wake-up check and a flush per frame (what a write
 * from another thread costs in Netty).
 *
 * <p>Bounded: the bytes queued here count with the channel's own outbound bytes against the
 * connection's high-water mark ({@link #hasRoom}), as a write from another thread counts in Netty
 * from the moment it is submitted.
 */
final class Outbox {

    /** Per frame, beyond its payload: about what Netty would estimate for a write task and its header. */
    static final int FRAME_OVERHEAD_BYTES = 64;
    /**
     * The most frames one task writes before it lets the event loop read and run its other tasks:
     * publishers faster than the connection would otherwise keep it writing forever.
     */
    static final int FRAMES_PER_TASK = 1024;

    /** Told of a publication that could not be written, by its topic and command (the frame is released by then). */
    interface Failed {
        void publication(String topic, int command, Throwable cause);
    }

    private final Channel channel;
    private final EventLoop loop;
    private final Queue<Queued> frames = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Runnable drain = this::drain;
    private final Failed failed;

    /**
     * @param failed called on the event loop; once the loop is gone (the client closed during a
     *     burst), on the thread that found it gone
     */
    Outbox(Channel channel, Failed failed) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.failed = failed;
    }

    /** Whether the connection takes more: the channel's queue and this one together are under the high-water mark. */
    boolean hasRoom() {
        return queuedBytes.get() < channel.bytesBeforeUnwritable();
    }

    /** Queues {@code frame} (taken over); the future says whether it was written. */
    ChannelFuture send(Message frame) {
        Queued queued = new Queued(channel, frame);
        enqueue(queued);
        return queued;
    }

    /** Queues a PUBLISH (taken over); if it cannot be written, says so to the {@link Failed} callback. */
    void publish(Message publication) {
        enqueue(new QueuedPublication(channel, publication, failed));
    }

    private void enqueue(Queued queued) {
        if (loop.inEventLoop() && frames.isEmpty() && !scheduled.get()) {
            // Nothing waits: written now, as any frame written by the event loop itself.
            channel.writeAndFlush(queued.take(), queued);
            return;
        }
        queuedBytes.addAndGet(queued.bytes);
        frames.add(queued);
        if (scheduled.compareAndSet(false, true)) {
            if (loop.inEventLoop()) {
                drain();
            } else {
                scheduleDrain();
            }
        }
    }

    /** Runs on the event loop while {@link #scheduled} is set. */
    private void drain() {
        int written = 0;
        Queued queued;
        while (written < FRAMES_PER_TASK && (queued = frames.poll()) != null) {
            // before the write, which counts the frame in the channel's own bytes: never in both
            queuedBytes.addAndGet(-queued.bytes);
            channel.write(queued.take(), queued);
            written++;
        }
        if (written > 0) {
            channel.flush();
        }
        if (!frames.isEmpty()) {
            scheduleDrain(); // still scheduled: the rest after what else the event loop has to do
            return;
        }
        scheduled.set(false);
        // A frame queued after the last poll may have found the drain still scheduled: take it now.
        if (!frames.isEmpty() && scheduled.compareAndSet(false, true)) {
            scheduleDrain();
        }
    }

    /** Hands the drain to the event loop, while {@link #scheduled} is held. */
    private void scheduleDrain() {
        try {
            loop.execute(drain);
        } catch (RejectedExecutionException e) {
            failQueued(e); // the loop shut down (the client closed): it runs nothing more
        }
    }

    /**
     * Fails and releases every queued frame, while {@link #scheduled} is held; then lets go of it,
     * and takes back what a sender queued meanwhile (it found the flag held and left its frame here).
     */
    private void failQueued(Throwable cause) {
        do {
            Queued queued;
            while ((queued = frames.poll()) != null) {
                queuedBytes.addAndGet(-queued.bytes);
                queued.take().release();
                queued.tryFailure(cause);
            }
            scheduled.set(false);
        } while (!frames.isEmpty() && scheduled.compareAndSet(false, true));
    }

    /** A frame waiting here and the promise of its write in one object. */
    private static class Queued extends DefaultChannelPromise {

        private Message frame;
        final long bytes;

        Queued(Channel channel, Message frame) {
            super(channel, channel.eventLoop());
            this.frame = frame;
            this.bytes = frame.payload().readableBytes() + FRAME_OVERHEAD_BYTES;
        }

        /**
         * The event loop runs the listeners; once it has shut down (the client closed while a frame
         * was on its way here) it runs nothing more, and Netty would drop the listeners of the failed
         * write with a log line: they run on the thread that fails the write or adds them instead,
         * so that a notification's stage and a call still learn that the frame did not leave.
         */
        @Override
        protected EventExecutor executor() {
            EventExecutor loop = super.executor();
            return loop.isShutdown() ? ImmediateEventExecutor.INSTANCE : loop;
        }

        /** The frame, handed on once: the promise outlives it. */
        Message take() {
            Message taken = frame;
            frame = null;
            return taken;
        }
    }

    /**
     * A publication's promise reports its failure itself, with the topic and command that name it,
     * on the thread that fails it: a listener on every publication would be run on every success too.
     */
    private static final class QueuedPublication extends Queued {

        private final String topic;
        private final int command;
        private final Failed failed;

        QueuedPublication(Channel channel, Message publication, Failed failed) {
            super(channel, publication);
            this.topic = publication.subject();
            this.command = publication.command();
            this.failed = failed;
        }

        @Override
        public boolean tryFailure(Throwable cause) {
            if (!super.tryFailure(cause)) {
                return false;
            }
            failed.publication(topic, command, cause);
            return true;
        }

        @Override
        public ChannelPromise setFailure(Throwable cause) {
            super.setFailure(cause); // throws if the write was settled already
            failed.publication(topic, command, cause);
            return this;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (!super.cancel(mayInterruptIfRunning)) {
                return false;
            }
            failed.publication(topic, command, cause());
            return true;
        }
    }
}
