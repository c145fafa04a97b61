package io.msf.bench.hotswap;

import io.msf.bench.hotswap.service.SwapEcho;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClients;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * One round of the hot-swap benchmark against a running container (bench/hotswap/run.sh starts
 * it): an open-loop load on the service {@value SwapEcho#NAME} over the agent's Unix socket,
 * and, in two phases of the same round,
 * <ol>
 *   <li>{@code deployer}: hot swaps through the deployer ({@code msf:update}, alternating two
 *       versions of the bundle), each timed from the console command's start to its end;</li>
 *   <li>{@code felix}: the same bundle installed plainly, then Felix's own {@code update <id>
 *       <location>} + {@code refresh <id>}, timed the same way.</li>
 * </ol>
 * Each phase runs its own load: warm-up, steady state, the changes (with a gap after each), steady
 * state again. Lost (no reply within the timeout) and errors count every request of the phase;
 * latencies are grouped by the time each request was due: during a change, or in steady state.
 * Prints a summary and appends one CSV row per phase.
 */
public final class HotSwapBench {

    private static final String SERVICE = "bench-swap";
    private static final Pattern BUNDLE_ID = Pattern.compile("Bundle ID: (\\d+)");

    private final Map<String, String> args;
    private final Path jarA;
    private final Path jarB;
    private final int rate;
    private final Duration timeout;
    private final long warmupMillis;
    private final long firstWarmupMillis;
    private final long steadyMillis;
    private final long gapMillis;

    private HotSwapBench(Map<String, String> args) {
        this.args = args;
        this.jarA = Path.of(args.get("jar-a")).toAbsolutePath();
        this.jarB = Path.of(args.get("jar-b")).toAbsolutePath();
        this.rate = Integer.parseInt(args.getOrDefault("rate", "5000"));
        this.timeout = Duration.ofMillis(Long.parseLong(args.getOrDefault("timeout-ms", "5000")));
        this.warmupMillis = Long.parseLong(args.getOrDefault("warmup-ms", "5000"));
        this.firstWarmupMillis = Long.parseLong(args.getOrDefault("first-warmup-ms", "20000"));
        this.steadyMillis = Long.parseLong(args.getOrDefault("steady-ms", "10000"));
        this.gapMillis = Long.parseLong(args.getOrDefault("gap-ms", "200"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        if (args.containsKey("summarize")) {
            Summary.print(Path.of(args.get("summarize")));
            return;
        }
        new HotSwapBench(args).run();
    }

    private void run() throws Exception {
        Path data = Path.of(args.get("data"));
        int swaps = Integer.parseInt(args.getOrDefault("swaps", "100"));
        int felixUpdates = Integer.parseInt(args.getOrDefault("felix-updates", "100"));
        try (Console console = new Console(data.resolve("msf.sock"));
                ConnectedClient client = connect(data.resolve("agent.sock"))) {
            console.require("msf:deploy " + SERVICE + " " + jarA.toUri());
            awaitReachable(client);
            report("deployer", swaps, deployerPhase(console, client, swaps));
            console.require("msf:undeploy " + SERVICE);
            if (felixUpdates > 0) {
                Matcher id = BUNDLE_ID.matcher(console.require("install " + jarA.toUri()).output());
                if (!id.find()) {
                    throw new IOException("install printed no bundle id");
                }
                long bundle = Long.parseLong(id.group(1));
                console.require("start " + bundle);
                awaitReachable(client);
                report("felix", felixUpdates, felixPhase(console, client, bundle, felixUpdates));
                console.require("uninstall " + bundle);
            }
        }
    }

    /** The figures of one phase. */
    private record Phase(OpenLoopLoad load, Windows steady, Windows changes, int failedChanges, String firstFailure,
            String loadAverage, long warmupMillis, long firstSteady, long changesFrom, long changesTo) {
    }

    private static double since(OpenLoopLoad load, long nanos) {
        return (nanos - load.startNanos()) / 1e9;
    }

    private interface Change {
        Console.Result apply(int index) throws IOException;
    }

    private Phase deployerPhase(Console console, ConnectedClient client, int swaps) throws Exception {
        // the first phase also warms the freshly started container up: a longer warm-up, so that
        // the backlog a cold JIT builds at 5k/s is gone before the first steady window
        return phase(client, swaps, firstWarmupMillis, i -> {
            Path next = i % 2 == 0 ? jarB : jarA;
            Console.Result result = console.exec("msf:update " + SERVICE + " " + next.toUri());
            return result.ok() && !result.output().contains(": updated, ACTIVE") ? new Console.Result(1,
                    result.output(), "not ACTIVE after the update", result.nanos()) : result;
        });
    }

    private Phase felixPhase(Console console, ConnectedClient client, long bundle, int updates) throws Exception {
        return phase(client, updates, warmupMillis, i -> {
            Path next = i % 2 == 0 ? jarB : jarA;
            Console.Result update = console.exec("update " + bundle + " " + next.toUri());
            if (!update.ok()) {
                return update;
            }
            Console.Result refresh = console.exec("refresh " + bundle);
            return new Console.Result(refresh.exitCode(), update.output() + refresh.output(), refresh.failure(),
                    update.nanos() + refresh.nanos());
        });
    }

    private Phase phase(ConnectedClient client, int changes, long warmup, Change change) throws Exception {
        long longest = warmup + 2 * steadyMillis + changes * (gapMillis + 10_000L) + 60_000;
        String loadBefore = loadAverage();
        Windows steady = new Windows();
        Windows during = new Windows();
        int failed = 0;
        String firstFailure = "";
        long firstSteady;
        long changesFrom;
        long changesTo;
        OpenLoopLoad load = new OpenLoopLoad(client, SwapEcho.NAME, rate, 64, timeout, Duration.ofMillis(longest));
        try (load) {
            load.start();
            Thread.sleep(warmup);
            firstSteady = System.nanoTime();
            steady.add(firstSteady, sleep(steadyMillis));
            changesFrom = System.nanoTime();
            for (int i = 0; i < changes; i++) {
                long start = System.nanoTime();
                Console.Result result = change.apply(i);
                long end = start + result.nanos();
                during.add(start, end);
                if (!result.ok()) {
                    failed++;
                    firstFailure = firstFailure.isEmpty() ? result.toString() : firstFailure;
                }
                Thread.sleep(gapMillis);
            }
            changesTo = System.nanoTime();
            steady.add(changesTo, sleep(steadyMillis));
            load.stop();
        }
        return new Phase(load, steady, during, failed, firstFailure, loadBefore + " -> " + loadAverage(), warmup,
                firstSteady, changesFrom, changesTo);
    }

    private static long sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return System.nanoTime();
    }

    /** Connects, retrying while the agent is not listening yet (it may open its socket after the ready line). */
    private static ConnectedClient connect(Path socket) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return AgentClients.connect(ClientOptions.builder().unixSocket(socket)
                        .connectTimeout(Duration.ofSeconds(5)).build());
            } catch (AgentException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private void awaitReachable(ConnectedClient client) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                client.request(Address.name(SwapEcho.NAME), 1, client.alloc().buffer(1).writeByte(1),
                        Duration.ofSeconds(1)).release();
                return;
            } catch (AgentException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private void report(String name, int changes, Phase phase) throws IOException {
        OpenLoopLoad load = phase.load();
        Histogram steady = phase.steady().latencies(load);
        Histogram during = phase.changes().latencies(load);
        Histogram durations = phase.changes().durations();
        if (args.containsKey("trace")) {
            phase.changes().trace(load, Path.of(args.get("trace") + "-" + name + ".csv"));
        }
        double ratio = (double) during.getValueAtPercentile(99) / Math.max(1, steady.getValueAtPercentile(99));
        System.out.printf(Locale.ROOT, "%s: %d changes (%d failed%s), %d requests at %.0f/s: lost %d, errors %d %s%n",
                name, changes, phase.failedChanges(), phase.firstFailure().isEmpty() ? "" : ", first: "
                        + phase.firstFailure().replace('\n', ' '), load.sent(), load.rate(), load.lost(),
                load.failed(), load.errorsByKind());
        System.out.printf(Locale.ROOT, "  change ms p50 %.1f p99 %.1f max %.1f%n", ms(durations, 50),
                ms(durations, 99), durations.getMaxValue() / 1e6);
        System.out.printf(Locale.ROOT, "  request us steady p50 %d p99 %d p99.9 %d (%d) | during changes p50 %d p99 %d"
                + " p99.9 %d (%d) | p99 ratio %.2f | load average %s%n", us(steady, 50), us(steady, 99),
                us(steady, 99.9), steady.getTotalCount(), us(during, 50), us(during, 99), us(during, 99.9),
                during.getTotalCount(), ratio, phase.loadAverage());
        long[] slowest = load.slowest();
        System.out.printf(Locale.ROOT, "  slowest request: %.1f ms, due %.1f s after the load started (warm-up %d ms,"
                + " steady from %.1f s, changes from %.1f s to %.1f s)%n", slowest[0] / 1e6,
                (slowest[1] - load.startNanos()) / 1e9, phase.warmupMillis(), since(load, phase.firstSteady()),
                since(load, phase.changesFrom()), since(load, phase.changesTo()));
        Path csv = Path.of(args.get("csv"));
        if (!Files.exists(csv)) {
            Files.writeString(csv, String.join(",", Summary.COLUMNS) + "\n");
        }
        List<Object> row = List.of(args.getOrDefault("round", "1"), name, changes, phase.failedChanges(), load.sent(),
                Math.round(load.rate()), load.lost(), load.failed(), ms(durations, 50), ms(durations, 99),
                durations.getMaxValue() / 1e6, us(steady, 50), us(steady, 99), us(steady, 99.9), us(during, 50),
                us(during, 99), us(during, 99.9), ratio, "\"" + load.errorsByKind() + "\"",
                "\"" + phase.loadAverage() + "\"");
        StringBuilder line = new StringBuilder();
        for (Object value : row) {
            line.append(line.length() == 0 ? "" : ",").append(value instanceof Double d
                    ? String.format(Locale.ROOT, "%.2f", d) : value);
        }
        Files.writeString(csv, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    private static long us(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
