package io.msf.agent.internal.broker;

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
 */
final class LatencyRecorder {

    /** Values are clamped to an hour, so a histogram's range, and with it its memory, stays bounded. */
    private static final long MAX_MICROS = 3_600_000_000L;
    private static final int SIGNIFICANT_DIGITS = 2;
    /** Reads in a row with nothing recorded after which the recording histograms are let go. */
    static final int IDLE_READS = 10;

    /** Guarded by {@code this}; null until the first value. */
    private Histogram recording;
    /** The rest below: guarded by {@link #reading}. */
    private final Object reading = new Object();
    private Histogram spare;
    private final Histogram total = new PackedHistogram(MAX_MICROS, SIGNIFICANT_DIGITS);
    private long[] last = {0, 0};
    private int idleReads;

    void record(long nanos) {
        long micros = Math.max(0, Math.min(MAX_MICROS, nanos / 1000));
        synchronized (this) {
            if (recording == null) {
                recording = new Histogram(MAX_MICROS, SIGNIFICANT_DIGITS);
            }
            recording.recordValue(micros);
        }
    }

    /** The median and the 99th percentile in microseconds; zeros before the first value. */
    long[] percentiles() {
        synchronized (reading) {
            Histogram recorded;
            synchronized (this) {
                recorded = recording;
                if (recorded == null) {
                    return last.clone();
                }
                if (recorded.getTotalCount() == 0) {
                    if (++idleReads >= IDLE_READS) {
                        recording = null;
                        spare = null;
                    }
                    return last.clone();
                }
                idleReads = 0;
                if (spare == null) {
                    spare = new Histogram(MAX_MICROS, SIGNIFICANT_DIGITS);
                }
                recording = spare;
            }
            total.add(recorded);
            last = new long[] {total.getValueAtPercentile(50), total.getValueAtPercentile(99)};
            recorded.reset();
            spare = recorded;
            return last.clone();
        }
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
