package io.msf.bench.broker;

import io.msf.bench.broker.MonitorOverhead.Phase;
import io.msf.bench.broker.MonitorOverhead.State;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The summary of the monitoring-overhead benchmark. Per transport and state: throughput (median and
 * range), CPU per message, the monitor's own CPU. Per pair of states: the paired ratios of each round
 * with their geometric mean and its 95 % confidence interval (Student's t on the log ratios: phases
 * measured within a minute share the machine's load, so their ratio varies far less than the rates do),
 * for each transport and for both (the mean of a round's two log ratios). Last, the overhead at the
 * default rate three ways: measured directly, and the amplified state's overhead divided by its factor
 * (against off, and against the default rate) — the monitor's work per second grows with its rate —
 * and, when the amplified sampling was also measured scraped at the default rate, its two parts.
 */
final class OverheadReport {

    /** Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};
    private static final List<String> TRANSPORTS = List.of("uds", "tcp");
    private static final String BOTH = "both";

    private OverheadReport() {
    }

    /**
     * @param samplerOnly the amplified sampling scraped at the default rate, or null if not measured
     */
    static String render(List<Phase> phases, State normal, State amplified, State samplerOnly) {
        State off = State.OFF;
        List<State> states = samplerOnly == null ? List.of(off, normal, amplified)
                : List.of(off, normal, amplified, samplerOnly);
        // round -> transport -> state label -> phase
        Map<Integer, Map<String, Map<String, Phase>>> byRound = new TreeMap<>();
        phases.forEach(p -> byRound.computeIfAbsent(p.round(), r -> new HashMap<>())
                .computeIfAbsent(p.transport(), t -> new HashMap<>()).put(p.state().label(), p));
        StringBuilder out = new StringBuilder();
        out.append("| transport | monitor | msgs/s median (min–max), n | server CPU µs/msg (median) |"
                + " monitor threads' CPU / driver's scraping CPU, % of one core (medians) |"
                + " scrapes per phase (median) |"
                + " container safepoints per s / ms stopped per s (medians) |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (String transport : TRANSPORTS) {
            for (State state : states) {
                List<Phase> list = phases.stream()
                        .filter(p -> p.transport().equals(transport) && p.state().equals(state)).toList();
                double[] rates = values(list, Phase::messagesPerSecond);
                out.append(String.format(Locale.ROOT,
                        "| %s | %s | %.0f (%.0f–%.0f), %d | %.2f | %s | %s | %.1f / %.2f |%n",
                        transport, state.label(), median(rates), min(rates), max(rates), rates.length,
                        median(values(list, Phase::cpuMicrosPerMessage)),
                        state.on() ? String.format(Locale.ROOT, "%.3f / %.3f", median(values(list,
                                Phase::monitorCpuPercent)), median(values(list, Phase::scrapeCpuPercent))) : "—",
                        state.on() ? String.format(Locale.ROOT, "%.0f", median(values(list, p -> p.scrapes()))) : "—",
                        median(values(list, Phase::safepointsPerSecond)),
                        median(values(list, Phase::safepointMillisPerSecond))));
            }
        }
        out.append("\n| states compared | transport | throughput, paired ratio: geo. mean [95 % CI] (min–max), n"
                + " | overhead [95 % CI] | server CPU per message, paired ratio: geo. mean [95 % CI] |\n");
        out.append("|---|---|---|---|---|\n");
        List<State[]> pairs = new ArrayList<>(List.of(new State[] {normal, off}, new State[] {amplified, off},
                new State[] {amplified, normal}));
        if (samplerOnly != null) {
            pairs.addAll(List.of(new State[] {samplerOnly, off}, new State[] {samplerOnly, normal},
                    new State[] {amplified, samplerOnly}));
        }
        for (State[] pair : pairs) {
            for (String transport : List.of("uds", "tcp", BOTH)) {
                Paired rate = Paired.of(logRatios(byRound, transport, pair[0], pair[1], Phase::messagesPerSecond));
                Paired cpu = Paired.of(logRatios(byRound, transport, pair[0], pair[1], Phase::cpuMicrosPerMessage));
                out.append(String.format(Locale.ROOT, "| %s / %s | %s | %s | %s | %s |%n", pair[0].label(),
                        pair[1].label(), transport, rate.ratioText(true), rate.overheadText(1), cpu.ratioText(false)));
            }
        }
        double factor = (double) normal.sampleMillis() / amplified.sampleMillis();
        out.append(String.format(Locale.ROOT, "%n| transport | %s overhead, measured (%s / off) [95 %% CI] |"
                        + " from the amplified state: overhead(%s / off) ÷ %s [95 %% CI] |"
                        + " from the amplified state: overhead(%s / %s) ÷ %s [95 %% CI] |",
                normal.label(), normal.label(), amplified.label(), plain(factor), amplified.label(), normal.label(),
                plain(factor - 1)));
        if (samplerOnly != null) {
            out.append(String.format(Locale.ROOT, " of which sampling: overhead(%s / %s) ÷ %s |"
                            + " of which scraping: overhead(%s / %s) ÷ %s |",
                    samplerOnly.label(), normal.label(), plain(factor - 1), amplified.label(), samplerOnly.label(),
                    plain(factor - 1)));
        }
        out.append(samplerOnly == null ? "\n|---|---|---|---|\n" : "\n|---|---|---|---|---|---|\n");
        for (String transport : List.of("uds", "tcp", BOTH)) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |", transport,
                    Paired.of(logRatios(byRound, transport, normal, off, Phase::messagesPerSecond)).overheadText(1),
                    Paired.of(logRatios(byRound, transport, amplified, off, Phase::messagesPerSecond))
                            .overheadText(factor),
                    Paired.of(logRatios(byRound, transport, amplified, normal, Phase::messagesPerSecond))
                            .overheadText(factor - 1)));
            if (samplerOnly != null) {
                out.append(String.format(Locale.ROOT, " %s | %s |",
                        Paired.of(logRatios(byRound, transport, samplerOnly, normal, Phase::messagesPerSecond))
                                .overheadText(factor - 1),
                        Paired.of(logRatios(byRound, transport, amplified, samplerOnly, Phase::messagesPerSecond))
                                .overheadText(factor - 1)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Per round, log(figure in {@code a} / figure in {@code b}) for one transport, or for {@link #BOTH} the mean
     * of the two transports' (rounds where either is missing are left out).
     */
    private static List<Double> logRatios(Map<Integer, Map<String, Map<String, Phase>>> byRound, String transport,
            State a, State b, ToDoubleFunction<Phase> figure) {
        List<Double> logs = new ArrayList<>();
        for (Map<String, Map<String, Phase>> round : byRound.values()) {
            double sum = 0;
            int count = 0;
            for (String t : transport.equals(BOTH) ? TRANSPORTS : List.of(transport)) {
                Map<String, Phase> states = round.getOrDefault(t, Map.of());
                Phase pa = states.get(a.label());
                Phase pb = states.get(b.label());
                if (pa != null && pb != null) {
                    sum += Math.log(figure.applyAsDouble(pa) / figure.applyAsDouble(pb));
                    count++;
                }
            }
            if (count > 0 && (!transport.equals(BOTH) || count == TRANSPORTS.size())) {
                logs.add(sum / count);
            }
        }
        return logs;
    }

    /** The mean of n log ratios, the half width of its 95 % interval, and the extremes. */
    private record Paired(double mean, double half, int n, double min, double max) {

        static Paired of(List<Double> logs) {
            int n = logs.size();
            double mean = logs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double sd = Math.sqrt(logs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / Math.max(1, n - 1));
            double half = n > 1 ? t95(n - 1) * sd / Math.sqrt(n) : Double.NaN;
            return new Paired(mean, half, n, logs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    logs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        }

        String ratioText(boolean withRange) {
            String text = String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", Math.exp(mean), Math.exp(mean - half),
                    Math.exp(mean + half));
            return withRange ? text + String.format(Locale.ROOT, " (%.3f–%.3f), %d", Math.exp(min), Math.exp(max), n)
                    : text;
        }

        /**
         * The throughput lost, 1 - ratio, in %, of a {@code divisor}-th of the log ratio: the share of one unit of
         * a cost that grows with the monitor's rate. Positive = slower with the monitor.
         */
        String overheadText(double divisor) {
            return String.format(Locale.ROOT, "%+.2f %% [%+.2f, %+.2f]", lost(mean / divisor),
                    lost((mean + half) / divisor), lost((mean - half) / divisor));
        }

        private static double lost(double logRatio) {
            return (1 - Math.exp(logRatio)) * 100;
        }
    }

    private static String plain(double value) {
        return BigDecimal.valueOf(value).round(new MathContext(3)).stripTrailingZeros()
                .toPlainString();
    }

    private static double[] values(List<Phase> phases, ToDoubleFunction<Phase> figure) {
        return phases.stream().mapToDouble(figure).toArray();
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
