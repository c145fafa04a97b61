package io.msf.bench.hotswap;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Diagnostics: every request due in a window, one CSV line each: the window's number, when the
     * request was due (µs after the window began) and its latency in µs, or lost, failed, pending.
     * Shows where in a change slow requests cluster.
     */
    void trace(OpenLoopLoad load, Path file) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println("window,due_us,latency_us");
            for (int i = 0; i < windows.size(); i++) {
                int window = i;
                long from = windows.get(i)[0];
                load.forEachDue(from, windows.get(i)[1], (due, outcome) -> out.println(window + "," + (due - from) / 1000
                        + "," + (outcome > 0 ? String.valueOf(outcome / 1000) : OpenLoopLoad.outcomeName(outcome))));
            }
        }
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
