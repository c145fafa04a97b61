package io.msf.agent.internal.broker;

import io.msf.client.api.Subscription;
import io.msf.protocol.api.Message;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One in-container subscription. Its listener runs on one executor of the worker group, one
 * publication at a time in the order they were published, so a slow listener never holds up a
 * connection's event loop. What waits for it is bounded like a connection's outbound queue: once
 * more than the high-water mark waits, publications are dropped (and counted as the client's errors).
 * The log tells of it once when the dropping begins, and once with the count when the listener has
 * caught up to half the mark: a listener that keeps up with part of a feed stays behind, however many
 * it takes.
 */
final class LocalSubscription implements Subscriber, Subscription {

    private final Broker broker;
    private final LocalClient client;
    private final String pattern;
    private final Consumer<Message> listener;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final EventExecutor executor;
    private volatile boolean closed;
    /** Publications dropped since the listener last caught up: the first is logged, the count when it has. */
    private final AtomicLong dropped = new AtomicLong();

    LocalSubscription(Broker broker, LocalClient client, String pattern, Consumer<Message> listener) {
        this.broker = broker;
        this.client = client;
        this.pattern = pattern;
        this.listener = listener;
        this.executor = broker.listenerExecutor();
    }

    @Override
    public String pattern() {
        return pattern;
    }

    @Override
    public boolean publication(Message publication) {
        if (closed) {
            return false;
        }
        int bytes = (int) Frames.size(publication);
        // Past the mark when what waited before it is, as a connection takes a frame while its queue is
        // under the mark: one larger than the whole mark still reaches a listener that is not behind.
        if (queuedBytes.getAndAdd(bytes) > broker.settings().outboundHighWaterBytes()) {
            queuedBytes.addAndGet(-bytes);
            client.stats.errors.increment();
            if (dropped.getAndIncrement() == 0) {
                broker.log.warn("agent client of {}: the listener of '{}' falls behind; publications beyond {} queued"
                        + " bytes (msf.agent outboundHighWaterBytes) are dropped", client.origin, pattern,
                        broker.settings().outboundHighWaterBytes());
            }
            return false;
        }
        Message copy;
        try {
            copy = Frames.waitingPublication(publication, client.id, client.alloc());
        } catch (RuntimeException refused) {
            // The copy refused by the listener's bundle's memory limit, or its account closed: dropped as one
            // past the mark is (the refusal is counted by the memory pool, and shown by mempool:stats)
            queuedBytes.addAndGet(-bytes);
            client.stats.errors.increment();
            return false;
        }
        client.stats.delivered(publication.payload().readableBytes());
        client.publicationFrameBytes.add(bytes);
        client.publicationsGiven.increment();
        try {
            executor.execute(() -> run(copy, bytes));
        } catch (RejectedExecutionException stopped) {
            // The worker group is shut down, which it is only after the agent and its clients stopped
            // (the agent restarts on a swap of it): a publication racing with that is dropped. Not moved
            // to another executor: the old one still runs what it queued, and the listener would run
            // twice at once, out of order.
            queuedBytes.addAndGet(-bytes);
            client.stats.errors.increment();
            copy.release();
            return false;
        }
        return true;
    }

    private void run(Message publication, int bytes) {
        // Down to half the mark, not just under it: else each publication taken would end the episode
        // and the next one dropped begin another, a WARN line each.
        if (queuedBytes.addAndGet(-bytes) <= broker.settings().outboundHighWaterBytes() / 2 && dropped.get() > 0) {
            long count = dropped.getAndSet(0);
            if (count > 0) {
                broker.log.warn("agent client of {}: the listener of '{}' caught up; {} publications were dropped",
                        client.origin, pattern, count);
            }
        }
        try {
            if (!closed) {
                listener.accept(publication);
            }
        } catch (Throwable e) {   // Errors too: one listener must not end the worker loop's other tasks
            client.stats.errors.increment();
            broker.log.warn("agent client of {}: the listener of '{}' failed on a publication to '{}'", client.origin,
                    pattern, publication.subject(), e);
        } finally {
            publication.release();
        }
    }

    /** The bytes of the publications that wait for the listener (as frames: header, topic and payload). */
    long queuedBytes() {
        return queuedBytes.get();
    }

    @Override
    public String subscriberLabel() {
        return client.subscriberLabel();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            broker.publications.index.remove(pattern, this);
            client.forget(this);
        }
    }
}
