package io.msf.bench.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Side-by-side start-up benchmark: msf, bare Felix and Karaf minimal, started in turn within each
 * round (the order rotates every round so no container always runs first), cold cache each start.
 * Prints progress on stderr, the Markdown report on stdout, and writes it to --out.
 *
 * <p>Arguments: {@code --root DIR --java-home DIR --jvm-opts "..." --rounds N --warmup N
 * [--msf-home DIR] [--only a,b] [--timeout-ms N] [--out FILE] [--at-settle SHELL-COMMAND]}; the
 * last one (diagnostics) runs at ready + 2 s with PID set to the JVM's pid, output beside the log.
 */
public final class StartupBench {

    private static final long PAUSE_BETWEEN_RUNS_MS = 1_000;

    private StartupBench() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> opt = parse(args);
        Path root = Path.of(opt.get("--root"));
        Path javaHome = Path.of(opt.get("--java-home"));
        String jvmOpts = opt.getOrDefault("--jvm-opts", "");
        int rounds = Integer.parseInt(opt.getOrDefault("--rounds", "5"));
        int warmup = Integer.parseInt(opt.getOrDefault("--warmup", "1"));
        List<String> only = List.of(opt.getOrDefault("--only", "msf,felix,karaf").split(","));

        boolean cds = "on".equals(opt.getOrDefault("--cds", "off"));
        Path logDir = Files.createDirectories(root.resolve("logs"));
        Runner runner = new Runner(logDir, root.resolve("container.pid"),
                Long.parseLong(opt.getOrDefault("--timeout-ms", "60000")), opt.get("--at-settle"));
        ClassDataTraining training = new ClassDataTraining(runner, Files.createDirectories(root.resolve("cds")), cds);

        List<Contender> contenders = new ArrayList<>();
        Path msfHome = opt.containsKey("--msf-home") ? Path.of(opt.get("--msf-home")) : null;
        if (only.contains("msf") && Contenders.looksLikeMsf(msfHome)) {
            contenders.add(Contenders.msf(msfHome, root.resolve("msf-data"), javaHome, jvmOpts, false));
            addIfOn(contenders, training.msf(Contenders.msf(msfHome, root.resolve("msf-cds-data"), javaHome, jvmOpts, true)));
        } else if (only.contains("msf")) {
            System.err.println("startup-bench: no msf assembly (bin/msf) given or found: msf is skipped");
        }
        if (only.contains("felix")) {
            contenders.add(Contenders.felix(root.resolve("felix"), javaHome, jvmOpts));
            addIfOn(contenders, training.felix(opts -> Contenders.felix(root.resolve("felix"), javaHome, opts), jvmOpts));
        }
        if (only.contains("karaf")) {
            contenders.add(Contenders.karaf(root.resolve("karaf"), javaHome, jvmOpts));
        }

        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        List<RunResult> measured = new ArrayList<>();
        for (int round = 1; round <= warmup + rounds; round++) {
            boolean warm = round <= warmup;
            int shift = (round - 1) % contenders.size();
            List<Contender> order = new ArrayList<>(contenders.subList(shift, contenders.size()));
            order.addAll(contenders.subList(0, shift));
            for (Contender c : order) {
                int label = warm ? round : round - warmup;
                RunResult r = runner.run(c, warm ? -label : label);
                System.err.println(progress(r, warm));
                if (!warm) {
                    measured.add(r);
                }
                Thread.sleep(PAUSE_BETWEEN_RUNS_MS);
            }
        }

        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
        List<String> names = contenders.stream().map(Contender::name).toList();
        Report report = new Report(measured, names);
        String markdown = "## Start-up benchmark, " + started + "\n\n"
                + "- rounds: " + rounds + " measured (+" + warmup + " warm-up round(s) discarded), "
                + "order rotated each round: " + String.join(" -> ", names) + "\n"
                + (names.contains("msf") ? "- msf: " + opt.getOrDefault("--msf-source", "?") + "\n" : "")
                + "- JDK: " + opt.getOrDefault("--java-version", javaHome.toString()) + " (" + javaHome + ")\n"
                + "- JVM options for all: `" + (jvmOpts.isBlank() ? "(none)" : jvmOpts) + "`\n"
                + "- machine: " + opt.getOrDefault("--machine", "?") + "; load average (1/5/15 min) before: "
                + loadBefore + ", after: " + loadAfter + "\n"
                + "- cold start: each container's framework cache / data dir is deleted before every start; "
                + "OS page cache left warm (the warm-up round loads every jar once)\n"
                + "- class-data sharing: " + training.describe() + "\n\n"
                + "### Per run\n\n" + report.perRunTable()
                + "\n### Summary\n\n" + report.summaryTable()
                + "\n### Ratios of medians\n\n" + report.ratioTable(ratios()) + "\n";
        System.out.print(markdown);
        if (opt.containsKey("--out")) {
            Files.writeString(Path.of(opt.get("--out")), markdown);
        }
    }

    private static void addIfOn(List<Contender> contenders, Contender variant) {
        if (variant != null) {
            contenders.add(variant);
        }
    }

    private static List<Report.Ratio> ratios() {
        Report.Metric ready = Report.Metric.ready();
        Report.Metric rss = Report.Metric.rssKb();
        Report.Metric cpu = Report.Metric.cpuMs();
        return List.of(
                new Report.Ratio("start msf/felix", "msf", ready, "felix", ready, 1.15),
                new Report.Ratio("start msf/karaf (Karaf boot done: ssh-up)", "msf", ready, "karaf", ready, 0.35),
                new Report.Ratio("start msf/karaf (Karaf's own \"Karaf started\" line)", "msf", ready,
                        "karaf", Report.Metric.milestone("started-line"), 0.35),
                new Report.Ratio("RSS msf/felix", "msf", rss, "felix", rss, 1.2),
                new Report.Ratio("RSS msf/karaf", "msf", rss, "karaf", rss, 0),
                new Report.Ratio("start felix/karaf (ssh-up)", "felix", ready, "karaf", ready, 0),
                // CDS=1: the same targets with an archive for each that can have one
                new Report.Ratio("start msf-cds/felix-cds", "msf-cds", ready, "felix-cds", ready, 1.15),
                new Report.Ratio("start msf-cds/karaf (ssh-up)", "msf-cds", ready, "karaf", ready, 0.35),
                new Report.Ratio("RSS msf-cds/felix-cds", "msf-cds", rss, "felix-cds", rss, 1.2),
                new Report.Ratio("start msf-cds/msf (the archive's gain)", "msf-cds", ready, "msf", ready, 0),
                new Report.Ratio("JVM CPU at ready msf-cds/msf", "msf-cds", cpu, "msf", cpu, 0),
                new Report.Ratio("start felix-cds/felix", "felix-cds", ready, "felix", ready, 0));
    }

    private static String progress(RunResult r, boolean warm) {
        String round = (warm ? "warm-up " : "round ") + Math.abs(r.round());
        if (!r.ok()) {
            return String.format("%s %-5s FAILED: %s", round, r.contender(), r.failure());
        }
        return String.format(Locale.ROOT, "%s %-5s ready %5d ms %s cpu %5d ms  rss %6.1f MB  threads %3d  listen %s",
                round, r.contender(), r.readyMs(), r.milestones(), r.cpuMs(), r.rssKb() / 1024.0, r.threads(),
                r.listeners());
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--root", "--java-home")) {
            if (!opt.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required + " (see bench/startup/run.sh)");
            }
        }
        return opt;
    }
}
