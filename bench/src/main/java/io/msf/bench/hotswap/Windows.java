package io.msf.bench.hotswap;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Time windows of one kind ("steady", "during a change") in one phase, and the latency
 * percentiles of the requests due inside them.
 */
final class Windows {

    private final List<long[]> windows = new ArrayList<>();

    void add(long fromNanos, long toNanos) {
        windows.add(new long[] {fromNanos, toNanos});
    }

    Histogram latencies(OpenLoopLoad load) {
        Histogram histogram = OpenLoopLoad.histogram();
        for (long[] window : windows) {
            load.record(window[0], window[1], histogram);
        }
        return histogram;
    }

    /** Durations of the windows themselves. */
    Histogram durations() {
        Histogram histogram = OpenLoopLoad.histogram();
        for (long[] window : windows) {
            histogram.recordValue(Math.max(1, window[1] - window[0]));
        }
        return histogram;
    }
}
