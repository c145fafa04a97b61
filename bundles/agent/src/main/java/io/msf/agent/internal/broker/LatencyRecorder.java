package io.msf.agent.internal.broker;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Request latencies of one peer, in microseconds, since it registered. The running total is
 * packed: its memory grows with the number of distinct value ranges seen, a few KiB for a realistic
 * spread, not with the number of requests. The two it records into are not: a packed histogram's
 * record walks its index (a fifth of the agent's CPU per routed request went to recording), a
 * plain one's is an array increment. They take 26 KiB each, so they are made at the first value
 * and dropped after {@value #IDLE_READS} reads found nothing new: only peers answering requests
 * hold them.
 *
 * <p>Values go into the recording histogram under this object's lock, which only a swap contends for:
 * a reader takes the recorded histogram and leaves an empty one in its place, then folds it into
 * the running total outside the lock. HdrHistogram's lock-free {@code Recorder} over a concurrent
 * packed histogram cost a dozen atomic operations per value, and was a sixth of the agent's CPU
 * per routed request; an uncontended lock is two. Values are recorded by whichever event loop
 * settles a request, so there are few writers, and they rarely meet.
 *
 * <p>The percentiles are computed again only when something was recorded since the last read: the
 * monitor reads every peer every second, and walking an unchanged histogram was most of its
 * sampling cost.
 *
 * <p>Besides the running total it keeps the values of the last 30 to 60 s, in two packed slots of
 * {@value #SLOT_SECONDS} s, and their 99th percentile: a threshold on latency must see a slow spell
 * end. The total's percentile hardly moves once a peer has answered for long (a peer fast for a day
 * and slow for the last minute has the same total p99), and never comes back down after a slow
 * start. Values read late (nobody read for a while) count as recent: they are at most that old.
 */
final class LatencyRecorder {

    /** Values are clamped to an hour, so a histogram's range, and with it its memory, stays bounded. */
    private static final long MAX_MICROS = 3_600_000_000L;
    private static final int SIGNIFICANT_DIGITS = 2;
    /** Reads in a row with nothing recorded after which the recording histograms are let go. */
    static final int IDLE_READS = 10;
    /** The length of a slot of the recent window: it holds the last one to two of them. */
    static final long SLOT_SECONDS = 30;
    private static final long SLOT_NANOS = TimeUnit.SECONDS.toNanos(SLOT_SECONDS);

    private final LongSupplier nanoTime;
    /** Guarded by {@code this}; null until the first value. */
    private Histogram recording;
    /** The rest below: guarded by {@link #reading}. */
    private final Object reading = new Object();
    private Histogram spare;
    private final Histogram total = new PackedHistogram(MAX_MICROS, SIGNIFICANT_DIGITS);
    private long[] last = {0, 0, 0};
    private int idleReads;
    /** The recent window's slots, null while empty: values read since {@link #slotStart}, and in the slot before. */
    private Histogram currentSlot;
    private Histogram previousSlot;
    private long slotStart;

    LatencyRecorder() {
        this(System::nanoTime);
    }

    /** @param nanoTime the clock the recent window's slots are timed by */
    LatencyRecorder(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.slotStart = nanoTime.getAsLong();
    }

    void record(long nanos) {
        long micros = Math.max(0, Math.min(MAX_MICROS, nanos / 1000));
        synchronized (this) {
            if (recording == null) {
                recording = new Histogram(MAX_MICROS, SIGNIFICANT_DIGITS);
            }
            recording.recordValue(micros);
        }
    }

    /**
     * The median and the 99th percentile in microseconds of everything recorded, and the 99th
     * percentile of the last 30 to 60 s; zeros before the first value (the last: when nothing was
     * recorded in that time).
     */
    long[] percentiles() {
        synchronized (reading) {
            boolean rotated = rotate(nanoTime.getAsLong());
            Histogram recorded = takeRecorded();
            if (recorded != null) {
                total.add(recorded);
                if (currentSlot == null) {
                    currentSlot = new PackedHistogram(MAX_MICROS, SIGNIFICANT_DIGITS);
                }
                currentSlot.add(recorded);
                recorded.reset();
                spare = recorded;
            }
            if (recorded != null || rotated) {
                last = new long[] {total.getValueAtPercentile(50), total.getValueAtPercentile(99), recentP99()};
            }
            return last.clone();
        }
    }

    /** The recording histogram with what was recorded since the last read, a fresh one in its place; null if nothing was. */
    private Histogram takeRecorded() {
        synchronized (this) {
            Histogram recorded = recording;
            if (recorded == null) {
                return null;
            }
            if (recorded.getTotalCount() == 0) {
                if (++idleReads >= IDLE_READS) {
                    recording = null;
                    spare = null;
                }
                return null;
            }
            idleReads = 0;
            if (spare == null) {
                spare = new Histogram(MAX_MICROS, SIGNIFICANT_DIGITS);
            }
            recording = spare;
            return recorded;
        }
    }

    /** Starts a new slot when the current one is over; true if that let values go out of the window. */
    private boolean rotate(long now) {
        long elapsed = now - slotStart;
        if (elapsed < SLOT_NANOS) {
            return false;
        }
        boolean dropped = previousSlot != null || (currentSlot != null && elapsed >= 2 * SLOT_NANOS);
        previousSlot = elapsed >= 2 * SLOT_NANOS ? null : currentSlot;
        currentSlot = null;
        slotStart = now;
        return dropped;
    }

    private long recentP99() {
        if (currentSlot == null || previousSlot == null) {
            Histogram only = currentSlot != null ? currentSlot : previousSlot;
            return only == null ? 0 : only.getValueAtPercentile(99);
        }
        Histogram both = previousSlot.copy();
        both.add(currentSlot);
        return both.getValueAtPercentile(99);
    }

    /** Whether the histograms values are recorded into are held (for tests). */
    boolean holdsRecordingHistograms() {
        synchronized (reading) {
            synchronized (this) {
                return recording != null || spare != null;
            }
        }
    }

    /** Values recorded so far, read or not. */
    long count() {
        synchronized (reading) {
            synchronized (this) {
                return total.getTotalCount() + (recording == null ? 0 : recording.getTotalCount());
            }
        }
    }
}
