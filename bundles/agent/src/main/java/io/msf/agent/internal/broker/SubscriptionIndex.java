package io.msf.agent.internal.broker;

import io.msf.agent.api.TopicInfo;
import io.msf.protocol.api.Topic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which subscribers get a publication to a topic.
 *
 * <p>Publishing is the hot path and subscribing the rare one, so every change builds a new
 * immutable {@link Snapshot}: exact patterns in a hash map, wildcard patterns in an array. The
 * subscribers a topic reaches are computed once per snapshot (a hash lookup plus one
 * {@link Topic#matches} per wildcard pattern, deduplicated per subscriber) and cached, so a
 * publication to a topic seen before costs one hash lookup and allocates nothing. The cache is
 * bounded; past its bound it starts over. It keeps valid topics only, so a topic found in it needs
 * no check again ({@link #remembers}).
 */
final class SubscriptionIndex {

    static final int MAX_CACHED_TOPICS = 4096;

    /** A pattern and its subscribers (copy-on-write, changed under the index's lock). */
    static final class Entry {
        final String pattern;
        final LongAdder delivered = new LongAdder();
        volatile Subscriber[] subscribers = new Subscriber[0];

        Entry(String pattern) {
            this.pattern = pattern;
        }
    }

    /** The subscribers a topic reaches, each once, and the patterns it matched. */
    record Route(Subscriber[] targets, Entry[] via) {
        static final Route NONE = new Route(new Subscriber[0], new Entry[0]);
    }

    private record Snapshot(Map<String, Entry> exact, Entry[] wildcards, ConcurrentHashMap<String, Route> cache) {
    }

    private final Map<String, Entry> entries = new HashMap<>();
    /** Told when a pattern gets its first subscriber or loses its last (under the lock: it must only take note). */
    private Runnable onPatternsChanged;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), new Entry[0], new ConcurrentHashMap<>());

    /** {@code listener} (null: none) is run when the set of {@link #patterns} changes; it must not block. */
    synchronized void onPatternsChanged(Runnable listener) {
        onPatternsChanged = listener;
    }

    /** The patterns that have subscribers. */
    synchronized Set<String> patterns() {
        return Set.copyOf(entries.keySet());
    }

    /** Adds {@code subscriber} to a valid pattern; false if it already had it. */
    synchronized boolean add(String pattern, Subscriber subscriber) {
        boolean newPattern = !entries.containsKey(pattern);
        Entry entry = entries.computeIfAbsent(pattern, Entry::new);
        if (Arrays.asList(entry.subscribers).contains(subscriber)) {
            return false;
        }
        Subscriber[] grown = Arrays.copyOf(entry.subscribers, entry.subscribers.length + 1);
        grown[grown.length - 1] = subscriber;
        entry.subscribers = grown;
        rebuild();
        if (newPattern && onPatternsChanged != null) {
            onPatternsChanged.run();
        }
        return true;
    }

    /** Removes {@code subscriber} from the pattern with exactly this text; false if it had none. */
    synchronized boolean remove(String pattern, Subscriber subscriber) {
        Entry entry = entries.get(pattern);
        if (entry == null || !without(entry, subscriber)) {
            return false;
        }
        rebuild();
        return true;
    }

    /** Removes every subscription of {@code subscriber}. */
    synchronized void removeAll(Subscriber subscriber) {
        boolean changed = false;
        for (Entry entry : new ArrayList<>(entries.values())) {
            changed |= without(entry, subscriber);
        }
        if (changed) {
            rebuild();
        }
    }

    synchronized int patternsOf(Subscriber subscriber) {
        int count = 0;
        for (Entry entry : entries.values()) {
            count += Arrays.asList(entry.subscribers).contains(subscriber) ? 1 : 0;
        }
        return count;
    }

    /** True if {@code subscriber} holds the pattern with exactly this text. */
    synchronized boolean holds(String pattern, Subscriber subscriber) {
        Entry entry = entries.get(pattern);
        return entry != null && Arrays.asList(entry.subscribers).contains(subscriber);
    }

    /** The subscribers of a valid topic; {@link Route#NONE} when nobody subscribes. */
    Route route(String topic) {
        Snapshot current = snapshot;
        Route route = current.cache.get(topic);
        if (route == null) {
            route = compute(current, topic);
            if (valid(topic)) {
                if (current.cache.size() >= MAX_CACHED_TOPICS) {
                    current.cache.clear();
                }
                current.cache.put(topic, route);
            }
        }
        return route;
    }

    /**
     * Whether {@code topic} was routed since the last change of subscriptions, and so is a valid
     * topic: a connection's publication to it needs no {@link Topic#checkTopic} again, which reads
     * every character of it (a sixth of the agent's routing work per 64-byte publication).
     */
    boolean remembers(String topic) {
        return snapshot.cache.containsKey(topic);
    }

    /** Checked again here, not trusted from the callers: what is cached skips the check. */
    private static boolean valid(String topic) {
        try {
            Topic.checkTopic(topic);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    synchronized List<TopicInfo> topics() {
        List<TopicInfo> topics = new ArrayList<>(entries.size());
        for (Entry entry : entries.values()) {
            List<String> names = new ArrayList<>(entry.subscribers.length);
            for (Subscriber subscriber : entry.subscribers) {
                names.add(subscriber.subscriberLabel());
            }
            topics.add(new TopicInfo(entry.pattern, List.copyOf(names), entry.delivered.sum()));
        }
        topics.sort(Comparator.comparing(TopicInfo::pattern));
        return topics;
    }

    private static Route compute(Snapshot current, String topic) {
        List<Entry> via = new ArrayList<>(2);
        Entry exact = current.exact.get(topic);
        if (exact != null) {
            via.add(exact);
        }
        for (Entry wildcard : current.wildcards) {
            if (Topic.matches(wildcard.pattern, topic)) {
                via.add(wildcard);
            }
        }
        if (via.isEmpty()) {
            return Route.NONE;
        }
        // A subscriber whose several patterns match gets the publication once.
        Set<Subscriber> targets = new LinkedHashSet<>();
        for (Entry entry : via) {
            targets.addAll(Arrays.asList(entry.subscribers));
        }
        return new Route(targets.toArray(new Subscriber[0]), via.toArray(new Entry[0]));
    }

    private boolean without(Entry entry, Subscriber subscriber) {
        List<Subscriber> remaining = new ArrayList<>(Arrays.asList(entry.subscribers));
        if (!remaining.remove(subscriber)) {
            return false;
        }
        if (remaining.isEmpty()) {
            entries.remove(entry.pattern);
            if (onPatternsChanged != null) {
                onPatternsChanged.run();
            }
        } else {
            entry.subscribers = remaining.toArray(new Subscriber[0]);
        }
        return true;
    }

    /** Called under the lock after every change: later publications see it, the cache starts empty. */
    private void rebuild() {
        Map<String, Entry> exact = new HashMap<>();
        List<Entry> wildcards = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (Topic.hasWildcard(entry.pattern)) {
                wildcards.add(entry);
            } else {
                exact.put(entry.pattern, entry);
            }
        }
        snapshot = new Snapshot(exact, wildcards.toArray(new Entry[0]), new ConcurrentHashMap<>());
    }
}
