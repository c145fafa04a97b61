package io.msf.monitor.internal.probe;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;

/**
 * Totals kept by key for things that come and go (a service whose peers left, a metric series whose
 * connections ended), so that the counters made of them never go down when the thing comes back; but
 * forgotten once it has been away for {@code forgetNanos}, and the longest away first past {@code max}
 * kept. The keys come from outside: a client names its own service, and one that connects under a new
 * name each time must not grow the monitor without end. A thing back after it was forgotten counts
 * from 0 again, which Prometheus reads as a counter reset, as it does a restart of the container.
 *
 * <p>Not thread safe.
 *
 * @param <K> what the totals are told apart by
 * @param <V> a total, immutable
 */
public final class FadingTotals<K, V> {

    /**
     * How long the totals of a thing away are kept for its return: longer than a restart by hand or an
     * upgrade takes, far longer than the 5 minutes after which Prometheus takes a series that stopped for gone.
     */
    public static final long FORGET_AWAY_NANOS = 60L * 60 * 1_000_000_000L;
    /** At most this many things away are remembered: far more than the services a container runs. */
    public static final int MAX_AWAY = 1024;

    private static final class Kept<V> {
        final V total;
        long lastSeen;

        Kept(V total, long lastSeen) {
            this.total = total;
            this.lastSeen = lastSeen;
        }
    }

    /** The longest away first: every sighting moves a key to the end. */
    private final LinkedHashMap<K, Kept<V>> byKey = new LinkedHashMap<>();
    private final long forgetNanos;
    private final int max;

    public FadingTotals(long forgetNanos, int max) {
        this.forgetNanos = forgetNanos;
        this.max = max;
    }

    /** Kept for {@link #FORGET_AWAY_NANOS}, at most {@link #MAX_AWAY}. */
    public static <K, V> FadingTotals<K, V> ofThingsAway() {
        return new FadingTotals<>(FORGET_AWAY_NANOS, MAX_AWAY);
    }

    /** Adds {@code total} to {@code key}'s, a sighting of it at {@code nanoTime}. */
    public void add(K key, V total, BinaryOperator<V> plus, long nanoTime) {
        Kept<V> kept = byKey.remove(key);
        byKey.put(key, kept == null ? new Kept<>(total, nanoTime) : new Kept<>(plus.apply(kept.total, total), nanoTime));
    }

    /** {@code key} is there at {@code nanoTime}: its total is kept for {@code forgetNanos} more. */
    public void seen(K key, long nanoTime) {
        Kept<V> kept = byKey.remove(key);
        if (kept != null) {
            kept.lastSeen = nanoTime;
            byKey.put(key, kept);
        }
    }

    /** {@code key}'s total, or {@code none}. Not a sighting. */
    public V get(K key, V none) {
        Kept<V> kept = byKey.get(key);
        return kept == null ? none : kept.total;
    }

    /** Each key with its total; not a sighting. */
    public void forEach(BiConsumer<K, V> action) {
        byKey.forEach((key, kept) -> action.accept(key, kept.total));
    }

    /** Forgets the keys away for {@code forgetNanos} at {@code nanoTime}, then the longest away past {@code max}. */
    public void forget(long nanoTime) {
        Iterator<Kept<V>> oldestFirst = byKey.values().iterator();
        while (oldestFirst.hasNext()) {
            Kept<V> kept = oldestFirst.next();
            if (nanoTime - kept.lastSeen < forgetNanos && byKey.size() <= max) {
                return;
            }
            oldestFirst.remove();
        }
    }

    public int size() {
        return byKey.size();
    }
}
