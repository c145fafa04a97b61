package io.msf.timer.internal;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The wheel proper: its buckets and its clock geometry. A timer sits in the bucket of its due tick
 * (the first tick at or after its deadline) modulo the size, and fires when that tick is processed
 * and its turn has come. Worker thread only.
 */
final class BucketRing {

    /**
     * The most buckets {@link #nextOccupiedTick} looks at: a large wheel with a short tick would
     * otherwise cost a long walk at every sleep (1024 is 10 s at the default tick).
     */
    static final int MAX_LOOK_AHEAD = 1024;

    final long tickNanos;
    private final Bucket[] buckets;
    /** The last tick processed; tick n ends n x tickNanos after the wheel's origin. */
    long currentTick;
    /** Entries in the buckets, cancelled ones not yet dropped included. */
    long entries;

    BucketRing(long tickNanos, int size, long currentTick) {
        this.tickNanos = tickNanos;
        this.buckets = new Bucket[size];
        for (int i = 0; i < size; i++) {
            buckets[i] = new Bucket();
        }
        this.currentTick = currentTick;
    }

    int size() {
        return buckets.length;
    }

    Bucket bucketOf(long tick) {
        return buckets[(int) (tick & (buckets.length - 1))];
    }

    /**
     * The first tick from {@code from} on whose bucket holds an entry (due then or in a later turn,
     * or cancelled and not dropped yet), looking at most {@link #MAX_LOOK_AHEAD} buckets ahead: the
     * tick past the last one looked at if they are all empty.
     */
    long nextOccupiedTick(long from) {
        int ahead = Math.min(buckets.length, MAX_LOOK_AHEAD);
        for (int i = 0; i < ahead; i++) {
            if (bucketOf(from + i).head != null) {
                return from + i;
            }
        }
        return from + ahead;
    }

    void link(WheelTimer timer) {
        long deadline = timer.deadline;
        long dueTick = deadline / tickNanos + (deadline % tickNanos == 0 ? 0 : 1);
        // Never into a tick already processed: an overdue timer fires at the next one.
        timer.dueTick = Math.max(dueTick, currentTick + 1);
        bucketOf(timer.dueTick).append(timer);
        entries++;
    }

    void unlink(Bucket bucket, WheelTimer previous, WheelTimer timer) {
        bucket.unlink(previous, timer);
        entries--;
    }

    /** Visits every entry; the visitor may cancel timers or link new ones, not unlink. */
    void forEach(Consumer<WheelTimer> visitor) {
        for (Bucket bucket : buckets) {
            for (WheelTimer timer = bucket.head; timer != null; timer = timer.nextInBucket) {
                visitor.accept(timer);
            }
        }
    }

    /** Unlinks every entry that {@code keep} refuses. */
    void retain(Predicate<WheelTimer> keep) {
        for (Bucket bucket : buckets) {
            WheelTimer previous = null;
            for (WheelTimer timer = bucket.head; timer != null; timer = bucket.after(previous)) {
                if (keep.test(timer)) {
                    previous = timer;
                } else {
                    unlink(bucket, previous, timer);
                }
            }
        }
    }

    /**
     * A ring of another geometry that resumes where this one stopped and holds the entries that
     * {@code keep} accepts. Deadlines are absolute, so every timer keeps its deadline; timers due
     * already fire at the new ring's next tick.
     */
    BucketRing rebuilt(long newTickNanos, int newSize, Predicate<WheelTimer> keep) {
        BucketRing ring = new BucketRing(newTickNanos, newSize, currentTick * tickNanos / newTickNanos);
        for (int i = 1; i <= buckets.length; i++) { // from the next tick on, to keep the firing order
            WheelTimer next;
            for (WheelTimer timer = bucketOf(currentTick + i).head; timer != null; timer = next) {
                next = timer.nextInBucket;
                timer.nextInBucket = null;
                if (keep.test(timer)) {
                    ring.link(timer);
                }
            }
        }
        return ring;
    }
}
