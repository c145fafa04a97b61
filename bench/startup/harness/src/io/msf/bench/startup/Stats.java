package io.msf.bench.startup;

import java.util.Arrays;

/** Order statistics of a handful of runs. */
final class Stats {

    private Stats() {
    }

    /** The median; for an even count, the mean of the two middle values. */
    static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    static double min(long[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    static double max(long[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
