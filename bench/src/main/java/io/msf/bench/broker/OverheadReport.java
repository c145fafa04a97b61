package io.msf.bench.broker;

import io.msf.bench.broker.MonitorOverhead.Phase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The summary of the monitoring-overhead benchmark, per transport: throughput with the monitor on and
 * off (medians and ranges), the ratio of the medians, and the paired on/off ratios of each round with
 * their geometric mean and its 95 % confidence interval (Student's t on the log ratios: pairs measured
 * minutes apart share the machine's load, so their ratio varies far less than the rates do).
 */
final class OverheadReport {

    /** Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    private OverheadReport() {
    }

    static String render(List<Phase> phases) {
        Map<String, List<Phase>> byTransport = new TreeMap<>(Comparator.reverseOrder());
        phases.forEach(p -> byTransport.computeIfAbsent(p.transport(), t -> new ArrayList<>()).add(p));
        StringBuilder out = new StringBuilder();
        out.append("| transport | monitor on: msgs/s median (min–max) | off: msgs/s median (min–max) | ratio of medians"
                + " on/off | paired on/off ratio: geo. mean [95 % CI] (min–max), n | overhead (95 % CI) |"
                + " server CPU µs/msg on / off (medians) | monitor threads' CPU, % of one core (median) |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        byTransport.forEach((transport, list) -> out.append(row(transport, list)));
        return out.toString();
    }

    private static String row(String transport, List<Phase> phases) {
        double[] on = rates(phases, true);
        double[] off = rates(phases, false);
        Map<Integer, double[]> pairs = new TreeMap<>();
        for (Phase phase : phases) {
            pairs.computeIfAbsent(phase.round(), r -> new double[] {Double.NaN, Double.NaN})[phase.monitorOn() ? 0 : 1] =
                    phase.messagesPerSecond();
        }
        List<Double> logRatios = new ArrayList<>();
        pairs.values().stream().filter(p -> !Double.isNaN(p[0]) && !Double.isNaN(p[1]))
                .forEach(p -> logRatios.add(Math.log(p[0] / p[1])));
        int n = logRatios.size();
        double mean = logRatios.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double sd = Math.sqrt(logRatios.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / Math.max(1, n - 1));
        double half = n > 1 ? t95(n - 1) * sd / Math.sqrt(n) : Double.NaN;
        double low = Math.exp(mean - half);
        double high = Math.exp(mean + half);
        double minRatio = Math.exp(logRatios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
        double maxRatio = Math.exp(logRatios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        return String.format(Locale.ROOT,
                "| %s | %.0f (%.0f–%.0f) | %.0f (%.0f–%.0f) | %.4f | %.4f [%.4f, %.4f] (%.4f–%.4f), %d |"
                        + " %+.2f %% [%+.2f, %+.2f] | %.2f / %.2f | %.3f |%n",
                transport, median(on), min(on), max(on), median(off), min(off), max(off), median(on) / median(off),
                Math.exp(mean), low, high, minRatio, maxRatio, n, (1 - Math.exp(mean)) * 100, (1 - high) * 100,
                (1 - low) * 100, median(cpu(phases, true)), median(cpu(phases, false)),
                median(phases.stream().filter(Phase::monitorOn).mapToDouble(Phase::monitorCpuPercent).toArray()));
    }

    private static double[] rates(List<Phase> phases, boolean on) {
        return phases.stream().filter(p -> p.monitorOn() == on).mapToDouble(Phase::messagesPerSecond).toArray();
    }

    private static double[] cpu(List<Phase> phases, boolean on) {
        return phases.stream().filter(p -> p.monitorOn() == on).mapToDouble(Phase::cpuMicrosPerMessage).toArray();
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static double t95(int degrees) {
        return degrees <= T95.length ? T95[degrees - 1] : 1.96;
    }
}
