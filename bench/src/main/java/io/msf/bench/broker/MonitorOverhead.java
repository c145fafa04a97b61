package io.msf.bench.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monitoring-overhead benchmark (issue 6, section 6; {@code bench/monitor/run.sh} starts it): one
 * msf container, agent throughput (async request/reply, 64 B, over UDS and TCP) with the monitor
 * bundle active (sampling at its default 1 Hz, /metrics scraped once a second as Prometheus would)
 * and with the monitor bundle stopped, alternated in the same container run. Each round measures
 * both states in ABBA order (on-off, then off-on) so that a drift of the machine's load hits both
 * alike; each state's rate is compared with the other state's of the same round.
 *
 * <p>Options: the broker driver's ({@link Settings}; {@code --rounds}, {@code --warmup-rounds}, {@code --measure-ms},
 * {@code --warmup-ms}, {@code --window}, {@code --msf-home}, ...) plus {@code --monitor-port} (the
 * monitor's HTTP port in the copy's etc/msf.monitor.cfg) and {@code --settle-ms} (wait after each
 * switch, so that the bundle's start or stop and the exec client's JVM are over before measuring).
 */
public final class MonitorOverhead {

    private static final int SIZE = 64;
    private static final Pattern MONITOR_BUNDLE = Pattern.compile("(?m)^\\s*(\\d+)\\s*\\|.*\\|\\s*io\\.msf\\.monitor\\b");

    private static final Pattern MONITOR_CPU = Pattern.compile(
            "(?m)^msf_thread_cpu_seconds_total\\{group=\"msf-monitor(?:-http)?\"\\} (\\S+)$");

    private static volatile Server running;

    private MonitorOverhead() {
    }

    /**
     * One measured phase: a transport in one state (monitor on or off) in one round. {@code monitorCpuPercent}:
     * CPU of the monitor's own threads (sampler {@code msf-monitor}, HTTP handlers {@code msf-monitor-http-<n>})
     * over the phase, % of one core, as its /metrics says; NaN when off.
     */
    record Phase(int round, String transport, boolean monitorOn, double messagesPerSecond, double cpuMicrosPerMessage,
            long scrapes, double monitorCpuPercent) {

        static String csvHeader() {
            return "round,transport,monitor,msgs_per_s,server_cpu_us_per_msg,scrapes,monitor_cpu_percent";
        }

        String csv() {
            return String.format(Locale.ROOT, "%d,%s,%s,%.1f,%.3f,%d,%.4f", round, transport, monitorOn ? "on" : "off",
                    messagesPerSecond, cpuMicrosPerMessage, scrapes, monitorCpuPercent);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        int monitorPort = Integer.parseInt(take(rest, "--monitor-port", "9464"));
        long settleMillis = Long.parseLong(take(rest, "--settle-ms", "3000"));
        Settings settings = Settings.parse(rest.toArray(String[]::new));
        Files.createDirectories(settings.work().resolve("logs"));
        Runtime.getRuntime().addShutdownHook(new Thread(MonitorOverhead::stopRunning, "stop-container"));
        List<Phase> phases = new ArrayList<>();
        Path csv = settings.work().resolve("overhead.csv");
        ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "scraper");
            thread.setDaemon(true);
            return thread;
        });
        try (Server server = Server.start("msf/uds", settings, 1);
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            running = server;
            out.println(Phase.csvHeader());
            BenchConnection uds = Session.awaitEcho(server.connect(BenchConnection.ECHO_ID));
            BenchConnection tcp = Session.awaitEcho(MsfConnection.connect(
                    new InetSocketAddress("127.0.0.1", settings.msfAgentPort()), BenchConnection.ECHO_ID));
            String monitorId = monitorBundle(server);
            log("monitor bundle %s, /metrics on port %d", monitorId, monitorPort);
            awaitScrape(monitorPort, true);
            Load warmUp = new Load(0, settings.sessionWarmupMillis());
            warmUp.pipelined(uds, SIZE, settings.window());
            warmUp.pipelined(tcp, SIZE, settings.window());
            Load load = new Load(settings.warmupMillis(), settings.measureMillis());
            boolean on = true;
            // rounds below 1 warm the container up in both states and are not reported
            for (int round = 1 - settings.warmupRounds(); round <= settings.rounds(); round++) {
                // ABBA: on-off in odd rounds, off-on in even ones; transports alternate their order too
                boolean[] states = Math.floorMod(round, 2) == 1 ? new boolean[] {true, false}
                        : new boolean[] {false, true};
                for (boolean state : states) {
                    if (state != on) {
                        server.msfExec((state ? "start " : "stop ") + monitorId, 120);
                        on = state;
                        awaitScrape(monitorPort, on);
                        Thread.sleep(settleMillis);
                    }
                    LongAdder scrapes = new LongAdder();
                    var scraping = on ? scraper.scheduleAtFixedRate(() -> scrape(monitorPort, scrapes), 0, 1,
                            TimeUnit.SECONDS) : null;
                    List<String> transports = Math.floorMod(round, 2) == 1 ? List.of("uds", "tcp")
                            : List.of("tcp", "uds");
                    for (String transport : transports) {
                        BenchConnection connection = transport.equals("uds") ? uds : tcp;
                        double cpuBefore = server.cpuSeconds();
                        double monitorBefore = on ? monitorCpuSeconds(monitorPort) : Double.NaN;
                        long started = System.nanoTime();
                        double rate = load.pipelined(connection, SIZE, settings.window()).opsPerSecond();
                        double seconds = (System.nanoTime() - started) / 1e9;
                        // CPU over the whole load (its warm-up included) per message of the whole load
                        double cpuPerMessage = (server.cpuSeconds() - cpuBefore) * 1e6 / (rate * seconds);
                        double monitorPercent = on
                                ? (monitorCpuSeconds(monitorPort) - monitorBefore) * 100 / seconds : Double.NaN;
                        Phase phase = new Phase(round, transport, on, rate, cpuPerMessage, scrapes.sum(),
                                monitorPercent);
                        log("%s%s", phase.csv(), round < 1 ? " (warm-up round, not reported)" : "");
                        if (round >= 1) {
                            phases.add(phase);
                            out.println(phase.csv());
                            out.flush();
                        }
                    }
                    if (scraping != null) {
                        scraping.cancel(false);
                    }
                }
            }
            uds.close();
            tcp.close();
        } finally {
            running = null;
            scraper.shutdownNow();
        }
        String report = settings.header() + OverheadReport.render(phases);
        Files.writeString(settings.work().resolve("results.md"), report, StandardCharsets.UTF_8);
    }

    /** The monitor's bundle id, from {@code lb} in the container. */
    private static String monitorBundle(Server server) throws Exception {
        String listing = server.msfExec("lb -s", 120);
        Matcher m = MONITOR_BUNDLE.matcher(listing);
        if (!m.find()) {
            throw new IllegalStateException("no io.msf.monitor bundle in the container: " + listing);
        }
        return m.group(1);
    }

    /** Waits until /metrics answers (monitor started: its endpoint comes up on a thread of its own) or refuses. */
    private static void awaitScrape(int port, boolean served) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (scrape(port, new LongAdder()) != served) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("/metrics on port " + port + (served ? " never answered" : " still answers"));
            }
            Thread.sleep(100);
        }
    }

    /** One scrape as Prometheus does it: the whole body read; true if it answered 200. */
    private static boolean scrape(int port, LongAdder scrapes) {
        try {
            get(port, OutputStream.nullOutputStream());
            scrapes.increment();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** CPU seconds of the monitor's own threads so far, from its /metrics (msf_thread_cpu_seconds_total). */
    private static double monitorCpuSeconds(int port) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        get(port, body);
        Matcher m = MONITOR_CPU.matcher(body.toString(StandardCharsets.UTF_8));
        double seconds = 0;
        while (m.find()) {
            seconds += Double.parseDouble(m.group(1));
        }
        return seconds;
    }

    private static void get(int port, OutputStream sink) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/metrics")
                .openConnection();
        connection.setConnectTimeout(1000);
        connection.setReadTimeout(5000);
        try (InputStream body = connection.getInputStream()) {
            body.transferTo(sink);
        }
        if (connection.getResponseCode() != 200) {
            throw new IOException("/metrics answered " + connection.getResponseCode());
        }
    }

    private static String take(List<String> args, String option, String fallback) {
        int at = args.indexOf(option);
        if (at < 0) {
            return fallback;
        }
        String value = args.get(at + 1);
        args.subList(at, at + 2).clear();
        return value;
    }

    private static void stopRunning() {
        Server server = running;
        if (server != null) {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("monitor-overhead: could not stop the container: " + e);
            }
        }
    }

    private static void log(String format, Object... args) {
        System.err.println("monitor-overhead: " + String.format(Locale.ROOT, format, args));
    }
}
