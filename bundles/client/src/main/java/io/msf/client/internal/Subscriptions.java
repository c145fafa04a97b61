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
import java.util.concurrent.Executor;
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
 * on the event loop against an immutable snapshot, without the lock.
 */
final class Subscriptions {

    private final Connector connector;
    private final Executor executor;
    private final Map<String, List<LocalSubscription>> byPattern = new LinkedHashMap<>();
    private volatile Map<String, LocalSubscription[]> snapshot = Map.of();

    Subscriptions(Connector connector, Executor executor) {
        this.connector = connector;
        this.executor = executor;
    }

    Subscription subscribe(String pattern, Consumer<Message> listener) {
        Topic.checkPattern(Objects.requireNonNull(pattern, "pattern"));
        Objects.requireNonNull(listener, "listener");
        String what = "subscription to '" + pattern + "'";
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

    /** Hands a publication (taken over) to every subscription it matches. Called on the event loop. */
    void deliver(Message publication) {
        String topic = publication.subject();
        for (Map.Entry<String, LocalSubscription[]> entry : snapshot.entrySet()) {
            if (Topic.matches(entry.getKey(), topic)) {
                for (LocalSubscription subscription : entry.getValue()) {
                    connector.inbound().submit(subscription.serial(), publication.retainedDuplicate(),
                            "publication on '" + topic + "'", subscription::accept);
                }
            }
        }
        publication.release();
    }

    private void publish() {
        Map<String, LocalSubscription[]> next = new HashMap<>();
        byPattern.forEach((pattern, list) -> next.put(pattern, list.toArray(new LocalSubscription[0])));
        snapshot = Map.copyOf(next);
    }
}
