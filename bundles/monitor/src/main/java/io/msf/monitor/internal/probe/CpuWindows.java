package io.msf.monitor.internal.probe;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The CPU of each of several things (a thread, a service) over the alert window, from its cumulative CPU
 * time, as {@link ProcessWindow} gives the process's (and likewise the rate of another cumulative count, a
 * service's agent errors): a thread or service whose CPU comes in bursts near
 * its threshold would raise and clear its alert at every sample, where its share of the window moves
 * slowly. Unknown (-1, so no alert) until a thing's readings first span the window: a thread or service
 * seen for the first time has no past to judge it by. A thing missing from a sample (a thread that
 * ended, a service gone) is forgotten; one whose CPU time goes back (counted anew) starts over.
 *
 * <p>Not thread safe: the monitor's sampling thread only.
 *
 * @param <K> what the CPU times are told apart by
 */
public final class CpuWindows<K> {

    private record Reading(long nanoTime, long cpuNanos) {
    }

    private static final class Readings {
        final ArrayDeque<Reading> kept = new ArrayDeque<>();
        boolean covered;
    }

    private final Map<K, Readings> byKey = new HashMap<>();
    private final Set<K> seen = new HashSet<>();

    /**
     * {@code key}'s CPU, % of one core, between its newest reading at or before {@code windowNanos} ago
     * and this one, which is kept for the next sample; -1 until its readings span the window. A window
     * shorter than a sampling period gives the last period.
     */
    public double percent(K key, long nanoTime, long cpuNanos, long windowNanos) {
        Reading first = first(key, nanoTime, cpuNanos, windowNanos);
        return first == null ? -1 : Rates.percent(cpuNanos - first.cpuNanos(), nanoTime - first.nanoTime());
    }

    /**
     * The same for another counter, {@code count} being its total (agent errors): its increase per second
     * over the window, -1 until its readings span the window. A figure over the window, not over the last
     * period, as the CPU alerts follow: events that come steadily but sparsely (one every few samples) would
     * otherwise give a rate over the threshold at one sample and 0 at the next, raising and clearing the
     * alert over and over.
     */
    public double perSecond(K key, long nanoTime, long count, long windowNanos) {
        Reading first = first(key, nanoTime, count, windowNanos);
        return first == null ? -1 : Rates.perSecond(count - first.cpuNanos(), nanoTime - first.nanoTime());
    }

    /** Keeps this reading; returns the one the window opens with, or null until the readings span it. */
    private Reading first(K key, long nanoTime, long cpuNanos, long windowNanos) {
        seen.add(key);
        Readings readings = byKey.computeIfAbsent(key, k -> new Readings());
        Reading current = new Reading(nanoTime, cpuNanos);
        if (readings.kept.isEmpty() || readings.kept.peekLast().cpuNanos() > cpuNanos) {
            readings.kept.clear();
            readings.covered = false;
            readings.kept.add(current);
            return null;
        }
        long start = nanoTime - windowNanos;
        while (readings.kept.size() > 1 && second(readings.kept).nanoTime() <= start) {
            readings.kept.removeFirst();
        }
        Reading first = readings.kept.peekFirst();
        readings.covered |= first.nanoTime() <= start;
        readings.kept.addLast(current);
        return readings.covered ? first : null;
    }

    /** Ends a sample: what was not seen in it is forgotten. */
    public void sampled() {
        byKey.keySet().retainAll(seen);
        seen.clear();
    }

    /** The things whose readings are kept, for tests. */
    int kept() {
        return byKey.size();
    }

    private static Reading second(ArrayDeque<Reading> kept) {
        Iterator<Reading> iterator = kept.iterator();
        iterator.next();
        return iterator.next();
    }
}
