package io.msf.agent.internal.broker;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Request latencies of one peer, in microseconds, since it registered. All histograms are packed:
 * their memory grows with the number of distinct value ranges seen, a few KiB for a realistic
 * spread, not with the number of requests.
 *
 * <p>Values go into a plain histogram under this object's lock, which only a swap contends for:
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

    /** Guarded by {@code this}. */
    private Histogram recording = newHistogram();
    /** The rest below: guarded by {@link #reading}. */
    private final Object reading = new Object();
    private Histogram spare = newHistogram();
    private final Histogram total = newHistogram();
    private long[] last = {0, 0};

    void record(long nanos) {
        long micros = Math.max(0, Math.min(MAX_MICROS, nanos / 1000));
        synchronized (this) {
            recording.recordValue(micros);
        }
    }

    /** The median and the 99th percentile in microseconds; zeros before the first value. */
    long[] percentiles() {
        synchronized (reading) {
            Histogram recorded;
            synchronized (this) {
                recorded = recording;
                recording = spare;
            }
            if (recorded.getTotalCount() > 0) {
                total.add(recorded);
                last = new long[] {total.getValueAtPercentile(50), total.getValueAtPercentile(99)};
            }
            recorded.reset();
            spare = recorded;
            return last.clone();
        }
    }

    /** Values recorded so far, read or not. */
    long count() {
        synchronized (reading) {
            synchronized (this) {
                return total.getTotalCount() + recording.getTotalCount();
            }
        }
    }

    private static Histogram newHistogram() {
        return new PackedHistogram(MAX_MICROS, SIGNIFICANT_DIGITS);
    }
}
