package io.msf.client.internal;

import io.msf.client.api.Subscription;
import io.msf.protocol.api.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** One {@link Subscription} of the application: its listener, called one message at a time. */
final class LocalSubscription implements Subscription {

    private final Subscriptions owner;
    private final String pattern;
    private final Consumer<Message> listener;
    private final SerialExecutor serial;
    private volatile boolean closed;
    /** Publications of the current read batch, not yet handed to {@link #serial}; owned by the event loop. */
    private final List<Message> batch = new ArrayList<>();

    LocalSubscription(Subscriptions owner, String pattern, Consumer<Message> listener, SerialExecutor serial) {
        this.owner = owner;
        this.pattern = pattern;
        this.listener = listener;
        this.serial = serial;
    }

    @Override
    public String pattern() {
        return pattern;
    }

    /** Runs this subscription's calls in order, one at a time. */
    SerialExecutor serial() {
        return serial;
    }

    /** Adds an admitted publication to the current batch; true if it is the batch's first. Event loop only. */
    boolean addToBatch(Message publication) {
        batch.add(publication);
        return batch.size() == 1;
    }

    /** Takes the current batch, leaving an empty one. Event loop only. */
    Message[] takeBatch() {
        Message[] taken = batch.toArray(new Message[0]);
        batch.clear();
        return taken;
    }

    /** Gives the listener a publication, unless closed since it was queued; the caller releases it. */
    void accept(Message publication) {
        if (!closed) {
            listener.accept(publication);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.remove(this);
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + pattern + (closed ? ", closed" : "") + "]";
    }
}
