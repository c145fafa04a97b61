package io.msf.agent.internal.broker;

import io.msf.agent.api.TopicInfo;
import io.msf.protocol.api.Topic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which subscribers get a publication to a topic.
 *
 * <p>Publishing is the hot path: the subscribers a topic reaches are computed once (a hash lookup
 * of the exact pattern plus one {@link Topic#matches} per wildcard pattern, deduplicated per
 * subscriber) and cached, so a publication to a topic seen before costs one hash lookup and
 * allocates nothing. The cache is bounded; past its bound it starts over. It keeps valid topics
 * only, so a topic found in it needs no check again ({@link #remembers}).
 *
 * <p>Subscribing costs what it changes, not what the index holds: a peer that comes back with a
 * thousand patterns, or many peers at once, must not rebuild the whole index per pattern. Changes
 * are made under the index's lock to the live structures, then a new {@link Snapshot} with an empty
 * cache is published; a route is cached only in the snapshot it was computed under, so a route
 * computed while a change was under way dies with that snapshot. What a route reads (the wildcard
 * patterns as an array, an entry's subscribers as an array) is made lazily, under the lock, by the
 * first route that needs it after a change: a storm of subscriptions without publications between
 * them builds nothing.
 */
final class SubscriptionIndex {

    static final int MAX_CACHED_TOPICS = 4096;

    private static final Subscriber[] NO_SUBSCRIBERS = new Subscriber[0];
    private static final Entry[] NO_ENTRIES = new Entry[0];

    /** A pattern and its subscribers. */
    static final class Entry {
        final String pattern;
        final LongAdder delivered = new LongAdder();
        /** In the order they subscribed; guarded by the index's lock. */
        private final Set<Subscriber> members = new LinkedHashSet<>();
        /** {@link #members} as routes read them; null after a change until a route needs it again. */
        private volatile Subscriber[] view = NO_SUBSCRIBERS;

        Entry(String pattern) {
            this.pattern = pattern;
        }
    }

    /** The subscribers a topic reaches, each once, and the patterns it matched. */
    record Route(Subscriber[] targets, Entry[] via) {
        static final Route NONE = new Route(NO_SUBSCRIBERS, NO_ENTRIES);
    }

    /** What routes computed since the last change share: the cache, and the wildcard entries once needed. */
    private static final class Snapshot {
        final ConcurrentHashMap<String, Route> cache = new ConcurrentHashMap<>();
        /** Null until a route needs them; then the wildcard entries in the order they were made. */
        volatile Entry[] wildcards;

        Snapshot(Entry[] wildcards) {
            this.wildcards = wildcards;
        }
    }

    /** Patterns without wildcards: read without the lock by routes, changed under it. */
    private final Map<String, Entry> exact = new ConcurrentHashMap<>();
    /** Guarded by the lock. */
    private final Map<String, Entry> wildcardEntries = new LinkedHashMap<>();
    /** The entries each subscriber is in (guarded by the lock): what its departure or a limit check reads. */
    private final Map<Subscriber, Map<String, Entry>> bySubscriber = new HashMap<>();
    /** Told when a pattern gets its first subscriber or loses its last (under the lock: it must only take note). */
    private Runnable onPatternsChanged;
    private volatile Snapshot snapshot = new Snapshot(NO_ENTRIES);

    /** {@code listener} (null: none) is run when the set of {@link #patterns} changes; it must not block. */
    synchronized void onPatternsChanged(Runnable listener) {
        onPatternsChanged = listener;
    }

    /** The patterns that have subscribers. */
    synchronized Set<String> patterns() {
        Set<String> patterns = new LinkedHashSet<>(exact.keySet());
        patterns.addAll(wildcardEntries.keySet());
        return Set.copyOf(patterns);
    }

    /** Adds {@code subscriber} to a valid pattern; false if it already had it. */
    synchronized boolean add(String pattern, Subscriber subscriber) {
        Map<String, Entry> held = bySubscriber.computeIfAbsent(subscriber, s -> new HashMap<>());
        if (held.containsKey(pattern)) {
            return false;
        }
        boolean wildcard = Topic.hasWildcard(pattern);
        Map<String, Entry> entries = wildcard ? wildcardEntries : exact;
        Entry entry = entries.get(pattern);
        boolean newPattern = entry == null;
        if (newPattern) {
            entry = new Entry(pattern);
            entries.put(pattern, entry);
        }
        entry.members.add(subscriber);
        entry.view = null;
        held.put(pattern, entry);
        changed(wildcard && newPattern);
        if (newPattern && onPatternsChanged != null) {
            onPatternsChanged.run();
        }
        return true;
    }

    /** Removes {@code subscriber} from the pattern with exactly this text; false if it had none. */
    synchronized boolean remove(String pattern, Subscriber subscriber) {
        Map<String, Entry> held = bySubscriber.get(subscriber);
        Entry entry = held == null ? null : held.remove(pattern);
        if (entry == null) {
            return false;
        }
        if (held.isEmpty()) {
            bySubscriber.remove(subscriber);
        }
        changed(without(entry, subscriber));
        return true;
    }

    /** Removes every subscription of {@code subscriber}: costs its own patterns, not all of them. */
    synchronized void removeAll(Subscriber subscriber) {
        Map<String, Entry> held = bySubscriber.remove(subscriber);
        if (held == null) {
            return;
        }
        boolean wildcardsChanged = false;
        for (Entry entry : held.values()) {
            wildcardsChanged |= without(entry, subscriber);
        }
        changed(wildcardsChanged);
    }

    synchronized int patternsOf(Subscriber subscriber) {
        Map<String, Entry> held = bySubscriber.get(subscriber);
        return held == null ? 0 : held.size();
    }

    /** True if {@code subscriber} holds the pattern with exactly this text. */
    synchronized boolean holds(String pattern, Subscriber subscriber) {
        Map<String, Entry> held = bySubscriber.get(subscriber);
        return held != null && held.containsKey(pattern);
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
        List<TopicInfo> topics = new ArrayList<>(exact.size() + wildcardEntries.size());
        for (Map<String, Entry> entries : List.of(exact, wildcardEntries)) {
            for (Entry entry : entries.values()) {
                List<String> names = new ArrayList<>(entry.members.size());
                for (Subscriber subscriber : entry.members) {
                    names.add(subscriber.subscriberLabel());
                }
                topics.add(new TopicInfo(entry.pattern, List.copyOf(names), entry.delivered.sum()));
            }
        }
        topics.sort(Comparator.comparing(TopicInfo::pattern));
        return topics;
    }

    private Route compute(Snapshot current, String topic) {
        List<Entry> via = new ArrayList<>(2);
        Entry exactEntry = exact.get(topic);
        if (exactEntry != null) {
            via.add(exactEntry);
        }
        Entry[] wildcards = current.wildcards;
        if (wildcards == null) {
            wildcards = wildcards(current);
        }
        for (Entry wildcard : wildcards) {
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
            Subscriber[] subscribers = entry.view;
            for (Subscriber subscriber : subscribers == null ? view(entry) : subscribers) {
                targets.add(subscriber);
            }
        }
        return new Route(targets.toArray(NO_SUBSCRIBERS), via.toArray(NO_ENTRIES));
    }

    /** The live wildcard entries, kept in {@code current} for the routes after this one. */
    private synchronized Entry[] wildcards(Snapshot current) {
        Entry[] wildcards = current.wildcards;
        if (wildcards == null) {
            wildcards = wildcardEntries.values().toArray(NO_ENTRIES);
            current.wildcards = wildcards;
        }
        return wildcards;
    }

    private synchronized Subscriber[] view(Entry entry) {
        Subscriber[] view = entry.view;
        if (view == null) {
            view = entry.members.toArray(NO_SUBSCRIBERS);
            entry.view = view;
        }
        return view;
    }

    /** Takes {@code subscriber} out of {@code entry}; true if that removed a wildcard pattern. */
    private boolean without(Entry entry, Subscriber subscriber) {
        entry.members.remove(subscriber);
        entry.view = null;
        if (!entry.members.isEmpty()) {
            return false;
        }
        boolean wildcard = Topic.hasWildcard(entry.pattern);
        (wildcard ? wildcardEntries : exact).remove(entry.pattern);
        if (onPatternsChanged != null) {
            onPatternsChanged.run();
        }
        return wildcard;
    }

    /**
     * Called under the lock after every change: later publications see it, the cache starts empty.
     * The wildcard array is kept unless the wildcard patterns changed (an entry's subscribers are
     * read through the entry, which the change already marked).
     */
    private void changed(boolean wildcardsChanged) {
        snapshot = new Snapshot(wildcardsChanged ? null : snapshot.wildcards);
    }
}
