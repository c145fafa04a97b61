package io.msf.bench.broker;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Summarises the samples of a run: per system and scenario the median and [min–max] over the
 * rounds; then ratios taken <b>within each round</b> (both systems measured in the same round,
 * minutes apart at most) and summarised the same way, against the targets of issue 4.
 */
final class Report {

    private final List<Sample> samples;
    private final StringBuilder out = new StringBuilder();

    Report(List<Sample> samples) {
        this.samples = samples;
    }

    String render() {
        Set<String> scenarios = new LinkedHashSet<>();
        Set<String> systems = new LinkedHashSet<>();
        samples.forEach(s -> scenarios.add(s.scenario()));
        samples.forEach(s -> systems.add(s.system()));
        out.append("### Request/reply latency (closed loop), µs — median [min–max] over rounds\n\n")
                .append("| scenario | system | p50 | p99 | p99.9 | requests/s | server CPU µs/request | rounds |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (String scenario : scenarios) {
            for (String system : systems) {
                List<Sample> cell = cell(system, scenario);
                if (!cell.isEmpty() && cell.get(0).hasLatency()) {
                    out.append("| ").append(scenario).append(" | ").append(system).append(" | ")
                            .append(spread(cell, Sample::p50, 1)).append(" | ")
                            .append(spread(cell, Sample::p99, 1)).append(" | ")
                            .append(spread(cell, Sample::p999, 1)).append(" | ")
                            .append(spread(cell, Sample::opsPerSecond, 0)).append(" | ")
                            .append(spread(cell, Sample::serverCpuMicrosPerOp, 1)).append(" | ")
                            .append(cell.size()).append(" |\n");
                }
            }
        }
        out.append("\n### Throughput, messages/s — median [min–max] over rounds\n\n")
                .append("| scenario | system | messages/s | server CPU µs/message | rounds |\n|---|---|---|---|---|\n");
        for (String scenario : scenarios) {
            for (String system : systems) {
                List<Sample> cell = cell(system, scenario);
                if (!cell.isEmpty() && !cell.get(0).hasLatency()) {
                    out.append("| ").append(scenario).append(" | ").append(system).append(" | ")
                            .append(spread(cell, Sample::opsPerSecond, 0)).append(" | ")
                            .append(spread(cell, Sample::serverCpuMicrosPerOp, 1)).append(" | ")
                            .append(cell.size()).append(" |\n");
                }
            }
        }
        ratios(scenarios);
        return out.toString();
    }

    private void ratios(Set<String> scenarios) {
        out.append("\n### Ratios within each round — median [min–max] (rounds meeting the target)\n\n")
                .append("| ratio | scenario | value | target | verdict |\n|---|---|---|---|---|\n");
        for (String transport : List.of("uds", "tcp")) {
            String msf = "msf/" + transport;
            for (String scenario : scenarios) {
                if (scenario.startsWith("rr ")) {
                    ratio("p50 " + msf + " ÷ fwd/" + transport, scenario, msf, "fwd/" + transport, Sample::p50, 1.2, false);
                    ratio("p50 " + msf + " ÷ nats/tcp", scenario, msf, "nats/tcp", Sample::p50, 1.0, false);
                    ratio("p99 " + msf + " ÷ fwd/" + transport, scenario, msf, "fwd/" + transport, Sample::p99, 0, false);
                    ratio("p99 " + msf + " ÷ nats/tcp", scenario, msf, "nats/tcp", Sample::p99, 0, false);
                } else {
                    ratio("msgs/s " + msf + " ÷ fwd/" + transport, scenario, msf, "fwd/" + transport,
                            Sample::opsPerSecond, 0.8, true);
                    ratio("msgs/s " + msf + " ÷ nats/tcp", scenario, msf, "nats/tcp", Sample::opsPerSecond,
                            scenario.startsWith("pubsub") ? 1.0 : 0, true);
                }
            }
        }
        for (String scenario : scenarios) {
            ratio("in-container speed-up: p50 msf-local/uds ÷ msf/inproc", scenario, "msf-local/uds", "msf/inproc",
                    Sample::p50, 10, true);
            ratio("in-container speed-up: p50 msf/uds ÷ msf/inproc", scenario, "msf/uds", "msf/inproc",
                    Sample::p50, 0, true);
        }
    }

    /**
     * One ratio row: numerator ÷ denominator per round. {@code target} 0: shown without a verdict;
     * {@code atLeast}: the ratio must reach the target, else stay at or below it.
     */
    private void ratio(String label, String scenario, String numerator, String denominator,
            ToDoubleFunction<Sample> field, double target, boolean atLeast) {
        Map<Integer, Double> top = byRound(numerator, scenario, field);
        Map<Integer, Double> bottom = byRound(denominator, scenario, field);
        List<Double> values = new ArrayList<>();
        top.forEach((round, value) -> {
            Double other = bottom.get(round);
            if (other != null && other > 0) {
                values.add(value / other);
            }
        });
        if (values.isEmpty()) {
            return;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = median(sorted);
        String verdict = "—";
        String goal = "—";
        if (target > 0) {
            long meeting = values.stream().filter(v -> atLeast ? v >= target : v <= target).count();
            boolean met = atLeast ? median >= target : median <= target;
            verdict = (met ? "**MET**" : "**MISSED**") + " (" + meeting + " of " + values.size() + ")";
            goal = (atLeast ? "≥ " : "≤ ") + format(target, 1) + "x";
        }
        out.append("| ").append(label).append(" | ").append(scenario).append(" | ")
                .append(format(median, 2)).append("x [").append(format(sorted[0], 2)).append("–")
                .append(format(sorted[sorted.length - 1], 2)).append("] | ").append(goal).append(" | ")
                .append(verdict).append(" |\n");
    }

    private Map<Integer, Double> byRound(String system, String scenario, ToDoubleFunction<Sample> field) {
        Map<Integer, Double> values = new TreeMap<>();
        for (Sample sample : cell(system, scenario)) {
            values.put(sample.round(), field.applyAsDouble(sample));
        }
        return values;
    }

    private List<Sample> cell(String system, String scenario) {
        return samples.stream().filter(s -> s.system().equals(system) && s.scenario().equals(scenario)).toList();
    }

    private static String spread(List<Sample> cell, ToDoubleFunction<Sample> field, int decimals) {
        double[] values = cell.stream().mapToDouble(field).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            return "—";
        }
        return format(median(values), decimals) + " [" + format(values[0], decimals) + "–"
                + format(values[values.length - 1], decimals) + "]";
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String format(double value, int decimals) {
        if (decimals == 0) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
