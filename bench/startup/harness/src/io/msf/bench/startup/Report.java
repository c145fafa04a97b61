package io.msf.bench.startup;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToLongFunction;

/** Renders the runs as Markdown: per-run table, medians with spread, ratios of medians vs targets. */
final class Report {

    /** A measured quantity of a run, e.g. ready ms or the time of one milestone. */
    record Metric(String label, ToLongFunction<RunResult> value) {
        static Metric ready() { return new Metric("ready", RunResult::readyMs); }
        static Metric rssKb() { return new Metric("RSS", RunResult::rssKb); }
        static Metric cpuMs() { return new Metric("JVM CPU", RunResult::cpuMs); }
        static Metric milestone(String name) {
            return new Metric(name, r -> r.milestones().getOrDefault(name, -1L));
        }
    }

    /** median(numerator metric of one container) / median(denominator of another) vs a target. */
    record Ratio(String label, String num, Metric numMetric, String den, Metric denMetric, double target) {
    }

    private final List<RunResult> runs;
    private final List<String> contenders;

    Report(List<RunResult> runs, List<String> contenders) {
        this.runs = runs;
        this.contenders = contenders;
    }

    String perRunTable() {
        StringBuilder out = new StringBuilder();
        out.append("| round | container | ready ms | milestones (ms from launch) | JVM age at ready ms "
                + "| JVM CPU ms at ready | RSS MB at ready+2s | threads | TCP listeners | ready evidence |\n");
        out.append("|---:|---|---:|---|---:|---:|---:|---:|---|---|\n");
        for (RunResult r : runs) {
            if (!r.ok()) {
                out.append(String.format("| %d | %s | FAILED | %s | | | | | | |%n", r.round(), r.contender(), r.failure()));
                continue;
            }
            StringBuilder marks = new StringBuilder();
            r.milestones().forEach((name, ms) -> marks.append(marks.length() == 0 ? "" : ", ").append(name).append(' ').append(ms));
            out.append(String.format(Locale.ROOT, "| %d | %s | %d | %s | %d | %d | %.1f | %d | %s | `%s` |%n",
                    r.round(), r.contender(), r.readyMs(), marks, r.jvmAgeMs(), r.cpuMs(), r.rssKb() / 1024.0, r.threads(),
                    String.join(" ", r.listeners()), r.evidence().replace("|", "\\|")));
        }
        return out.toString();
    }

    String summaryTable() {
        StringBuilder out = new StringBuilder();
        out.append("| container | ok runs | ready ms median [min-max] | other milestones median "
                + "| JVM CPU ms at ready | RSS MB median [min-max] | threads median [min-max] |\n");
        out.append("|---|---:|---|---|---|---|---|\n");
        for (String name : contenders) {
            List<RunResult> ok = ok(name);
            if (ok.isEmpty()) {
                out.append("| ").append(name).append(" | 0 | | | | | |\n");
                continue;
            }
            Set<String> marks = new LinkedHashSet<>(ok.get(0).milestones().keySet());
            StringBuilder other = new StringBuilder();
            for (String m : marks) {
                other.append(other.length() == 0 ? "" : ", ").append(m).append(' ')
                        .append(fmt(Stats.median(values(ok, Metric.milestone(m).value()))));
            }
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |%n", name, ok.size(),
                    spread(values(ok, RunResult::readyMs), 1), other,
                    spread(values(ok, RunResult::cpuMs), 1),
                    spread(values(ok, RunResult::rssKb), 1024), spread(values(ok, RunResult::threads), 1)));
        }
        return out.toString();
    }

    String ratioTable(List<Ratio> ratios) {
        StringBuilder out = new StringBuilder("| ratio of medians | value | target | verdict |\n|---|---:|---:|---|\n");
        for (Ratio r : ratios) {
            List<RunResult> num = ok(r.num());
            List<RunResult> den = ok(r.den());
            if (num.isEmpty() || den.isEmpty()) {
                out.append("| ").append(r.label()).append(" | n/a | ").append(target(r)).append(" | not measured |\n");
                continue;
            }
            double value = Stats.median(values(num, r.numMetric().value()))
                    / Stats.median(values(den, r.denMetric().value()));
            out.append(String.format(Locale.ROOT, "| %s | %.2fx | %s | %s |%n", r.label(), value, target(r),
                    r.target() <= 0 ? "info" : value <= r.target() ? "meets" : "MISSES"));
        }
        return out.toString();
    }

    private static String target(Ratio r) {
        return r.target() <= 0 ? "-" : String.format(Locale.ROOT, "<= %.2fx", r.target());
    }

    private List<RunResult> ok(String contender) {
        List<RunResult> ok = new ArrayList<>();
        for (RunResult r : runs) {
            if (r.ok() && r.contender().equals(contender)) {
                ok.add(r);
            }
        }
        return ok;
    }

    private static long[] values(List<RunResult> runs, ToLongFunction<RunResult> metric) {
        return runs.stream().mapToLong(metric).toArray();
    }

    private static String spread(long[] values, double divisor) {
        return fmt(Stats.median(values) / divisor) + " [" + fmt(Stats.min(values) / divisor)
                + "-" + fmt(Stats.max(values) / divisor) + "]";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
