package io.msf.client.internal;

import io.msf.client.api.Subscription;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.Topic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A client's subscriptions. The agent keeps one subscription per pattern and connection, while the
 * application may subscribe to a pattern several times: a SUBSCRIBE goes out for every
 * {@link #subscribe} (the agent ignores repeats, and each call gets its acknowledgement), an
 * UNSUBSCRIBE only when the last subscription to its pattern closes. A publication goes to every
 * subscription whose pattern matches its topic; after a reconnect every pattern is subscribed again.
 *
 * <p>Changes and their frames are made under one lock, so that the agent sees SUBSCRIBE and
 * UNSUBSCRIBE of a pattern in the order the subscriptions changed here. Publications are matched
 * on the event loop against an immutable snapshot, without the lock, and reach each listener in
 * one task per read rather than one per publication. A publication costs one hash lookup for the
 * patterns without wildcards, however many there are, and one {@link Topic#matches} per wildcard
 * pattern: a client subscribed to a thousand device topics does not try each on every publication.
 */
final class Subscriptions {

    private final Connector connector;
    private final WatchedExecutor executor;
    private final boolean inline;
    private final Map<String, List<LocalSubscription>> byPattern = new LinkedHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(Map.of(), new PatternSubscriptions[0]);
    /** The subscriptions with a batch to hand over at the end of the read; owned by the event loop. */
    private final List<LocalSubscription> withBatch = new ArrayList<>();

    /** The subscriptions to one pattern, as publications are matched against them. */
    private record PatternSubscriptions(String pattern, LocalSubscription[] subscriptions) {
    }

    /** The subscriptions by pattern without wildcards (its only topic), and those with wildcards. */
    private record Snapshot(Map<String, LocalSubscription[]> exact, PatternSubscriptions[] wildcards) {
    }

    /** @param inline listeners run on the event loop as publications are read (ClientOptions.listenersOnIoThread) */
    Subscriptions(Connector connector, WatchedExecutor executor, boolean inline) {
        this.connector = connector;
        this.executor = executor;
        this.inline = inline;
    }

    Subscription subscribe(String pattern, Consumer<Message> listener) {
        Topic.checkPattern(Objects.requireNonNull(pattern, "pattern"));
        Objects.requireNonNull(listener, "listener");
        String what = "subscription to '" + pattern + "'";
        if (connector.loop().inEventLoop()) {
            throw connector.wouldBlock(what, "a subscription made off the I/O thread");
        }
        LocalSubscription subscription = new LocalSubscription(this, pattern, listener, new SerialExecutor(executor));
        long guard = connector.options().connectTimeout().toNanos();
        CompletableFuture<Message> ack;
        synchronized (this) {
            Session session = connector.sessionFor(what);
            byPattern.computeIfAbsent(pattern, p -> new ArrayList<>()).add(subscription);
            publish();
            ack = session.call(Message.subscribe(pattern, connector.nextSequence()), what, guard);
        }
        try {
            PendingCalls.await(ack, guard, what).release();
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
        return subscription;
    }

    /** Forgets {@code subscription}; unsubscribes at the agent when it was the last one to its pattern. */
    synchronized void remove(LocalSubscription subscription) {
        String pattern = subscription.pattern();
        List<LocalSubscription> subscriptions = byPattern.get(pattern);
        if (subscriptions == null || !subscriptions.remove(subscription)) {
            return;
        }
        if (subscriptions.isEmpty()) {
            byPattern.remove(pattern);
            Session session = connector.current();
            if (session != null) {
                connector.callQuietly(session, Message.unsubscribe(pattern, connector.nextSequence()),
                        "unsubscription from '" + pattern + "'");
            }
        }
        publish();
    }

    /** Subscribes every pattern again on a new connection, before anything else is sent on it. */
    synchronized void resubscribe(Session session) {
        for (String pattern : byPattern.keySet()) {
            connector.callQuietly(session, Message.subscribe(pattern, connector.nextSequence()),
                    "re-subscription to '" + pattern + "'");
        }
    }

    /**
     * Adds a publication (taken over) to the batch of every subscription it matches: the last one
     * takes the publication itself, the others a duplicate each. Called on the event loop; the
     * batches go to the listeners at {@link #dispatch}.
     */
    void deliver(Message publication) {
        String topic = publication.subject();
        Snapshot current = snapshot;
        LocalSubscription last = null;
        LocalSubscription[] exact = current.exact().get(topic);
        if (exact != null) {
            last = addAllButLast(exact, publication, null);
        }
        for (PatternSubscriptions entry : current.wildcards()) {
            if (Topic.matches(entry.pattern(), topic)) {
                last = addAllButLast(entry.subscriptions(), publication, last);
            }
        }
        if (last == null) {
            publication.release();
        } else {
            addToBatch(last, publication);
        }
    }

    /** Gives {@code last} and each of {@code subscriptions} but the last a duplicate; returns that last. */
    private LocalSubscription addAllButLast(LocalSubscription[] subscriptions, Message publication,
            LocalSubscription last) {
        for (LocalSubscription subscription : subscriptions) {
            if (last != null) {
                addToBatch(last, publication.retainedDuplicate());
            }
            last = subscription;
        }
        return last;
    }

    private void addToBatch(LocalSubscription subscription, Message publication) {
        if (!connector.inbound().admit(publication)) {
            return;
        }
        if (inline) {
            // the listener promised not to block (ClientOptions.listenersOnIoThread)
            connector.inbound().handOver(publication, subscription::accept);
        } else if (subscription.addToBatch(publication)) {
            withBatch.add(subscription);
        }
    }

    /**
     * Hands every subscription's batch to its listener in one task: called when a read ends, so a
     * burst of publications wakes the callback thread once, not once each. Called on the event loop.
     * A batch the executor refuses is dropped, with those waiting before it (SerialExecutor), like
     * publications past a full queue: a listener never runs here, where it would hold up the PINGs.
     */
    void dispatch() {
        Inbound inbound = connector.inbound();
        for (LocalSubscription subscription : withBatch) {
            Message[] batch = subscription.takeBatch();
            Consumer<Message> listener = subscription::accept;
            subscription.serial().execute(() -> {
                inbound.executorRuns();
                for (Message publication : batch) {
                    inbound.handOver(publication, listener);
                }
            }, refusal -> {
                for (Message publication : batch) {
                    inbound.refused(publication, refusal);
                }
            });
        }
        withBatch.clear();
    }

    private void publish() {
        Map<String, LocalSubscription[]> exact = new HashMap<>();
        List<PatternSubscriptions> wildcards = new ArrayList<>();
        byPattern.forEach((pattern, list) -> {
            LocalSubscription[] subscriptions = list.toArray(new LocalSubscription[0]);
            if (Topic.hasWildcard(pattern)) {
                wildcards.add(new PatternSubscriptions(pattern, subscriptions));
            } else {
                exact.put(pattern, subscriptions);
            }
        });
        snapshot = new Snapshot(exact, wildcards.toArray(new PatternSubscriptions[0]));
    }
}
