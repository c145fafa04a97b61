package io.msf.agent.internal.broker;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.HdrHistogram.Recorder;

/**
 * Request latencies of one peer, in microseconds, since it registered. Recording is lock-free
 * (HdrHistogram's {@link Recorder}); reading folds what was recorded since the last read into a
 * running total. Both histograms are packed: their memory grows with the number of distinct
 * value ranges seen, a few KiB for a realistic spread, not with the number of requests. The
 * percentiles are computed again only when something was recorded since the last read: the monitor
 * reads every peer every second, and walking an unchanged histogram was most of its sampling cost.
 */
final class LatencyRecorder {

    /** Values are clamped to an hour, so a histogram's range, and with it its memory, stays bounded. */
    private static final long MAX_MICROS = 3_600_000_000L;
    private static final int SIGNIFICANT_DIGITS = 2;

    private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS, true);
    private final Histogram total = new PackedHistogram(MAX_MICROS, SIGNIFICANT_DIGITS);
    private Histogram interval;
    private long[] last = {0, 0};

    void record(long nanos) {
        recorder.recordValue(Math.max(0, Math.min(MAX_MICROS, nanos / 1000)));
    }

    /** The median and the 99th percentile in microseconds; zeros before the first value. */
    synchronized long[] percentiles() {
        interval = recorder.getIntervalHistogram(interval);
        if (interval.getTotalCount() > 0) {
            total.add(interval);
            last = new long[] {total.getValueAtPercentile(50), total.getValueAtPercentile(99)};
        }
        return last.clone();
    }
}
