package io.msf.bench.broker;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.InetSocketAddress;
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
 * msf container, agent throughput (async request/reply, 64 B, over UDS and TCP) in three states of the
 * monitor bundle, switched in the same container run: stopped; sampling at its default 1 Hz with
 * /metrics scraped once a second as Prometheus would; and amplified, sampling and scraped every
 * {@code --amplified-ms} (100 ms, the shortest period the monitor accepts: 10x the work per second;
 * {@code --amplified-scrape-ms} scrapes it at another period, to tell the sampler's cost from the scrapes').
 * The monitor's work per sample and per scrape is fixed, so the amplified state's cost, divided by the
 * factor, bounds the default's where a 1 % difference is lost in the machine's noise. Each round
 * measures the states in the order off, 1 Hz, amplified, the next round in the reverse order, so that
 * a drift of the machine's load hits every state alike; each state's rate is compared with the other
 * states' of the same round.
 *
 * <p>Options: the broker driver's ({@link Settings}; {@code --rounds}, {@code --warmup-rounds}, {@code --measure-ms},
 * {@code --warmup-ms}, {@code --window}, {@code --msf-home}, ...) plus {@code --monitor-port} (the
 * monitor's HTTP port in the copy's etc/msf.monitor.cfg), {@code --settle-ms} (wait after each
 * switch, so that the bundle's start or stop, the exec client's JVM or the endpoint's restart are over
 * before measuring) and {@code --amplified-ms} (the amplified state's sampling and scraping period).
 */
public final class MonitorOverhead {

    private static final int SIZE = 64;
    private static final long DEFAULT_PERIOD_MILLIS = 1000;
    private static final Pattern MONITOR_BUNDLE = Pattern.compile("(?m)^\\s*(\\d+)\\s*\\|.*\\|\\s*io\\.msf\\.monitor\\b");

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static volatile Server running;

    private MonitorOverhead() {
    }

    /**
     * A state of the monitor: stopped ({@code sampleMillis} 0) or sampling every {@code sampleMillis} and
     * scraped every {@code scrapeMillis}.
     */
    record State(long sampleMillis, long scrapeMillis) {

        static final State OFF = new State(0, 0);

        boolean on() {
            return sampleMillis > 0;
        }

        /** {@code off}, {@code 1hz}, {@code 10hz}, or {@code 10hz-scraped-1hz} when scraped at another rate. */
        String label() {
            return !on() ? "off" : scrapeMillis == sampleMillis ? hertz(sampleMillis)
                    : hertz(sampleMillis) + "-scraped-" + hertz(scrapeMillis);
        }

        private static String hertz(long periodMillis) {
            return BigDecimal.valueOf(1000.0 / periodMillis).round(new MathContext(3)).stripTrailingZeros()
                    .toPlainString() + "hz";
        }
    }

    /**
     * One measured phase: a transport in one state of the monitor in one round. {@code monitorCpuPercent}:
     * CPU of the monitor's own threads (sampler {@code msf-monitor}, HTTP handlers {@code msf-monitor-http-<n>})
     * over the phase, % of one core, as its /metrics says; NaN when off. {@code safepointsPerSecond} and
     * {@code safepointMillisPerSecond}: the container JVM's stop-the-world pauses over the phase (NaN if its
     * performance data cannot be read). {@code scrapeCpuPercent}: CPU of the driver's own scraping thread (the
     * Prometheus side, here on the same two cores as everything else), % of one core.
     */
    record Phase(int round, String transport, State state, double messagesPerSecond, double cpuMicrosPerMessage,
            long scrapes, double monitorCpuPercent, double safepointsPerSecond, double safepointMillisPerSecond,
            double scrapeCpuPercent) {

        static String csvHeader() {
            return "round,transport,monitor,sample_ms,scrape_ms,msgs_per_s,server_cpu_us_per_msg,scrapes,"
                    + "monitor_cpu_percent,"
                    + "safepoints_per_s,safepoint_ms_per_s,driver_scrape_cpu_percent";
        }

        String csv() {
            return String.format(Locale.ROOT, "%d,%s,%s,%d,%d,%.1f,%.3f,%d,%.4f,%.2f,%.3f,%.4f", round, transport,
                    state.label(), state.sampleMillis(), state.scrapeMillis(), messagesPerSecond, cpuMicrosPerMessage,
                    scrapes, monitorCpuPercent, safepointsPerSecond, safepointMillisPerSecond, scrapeCpuPercent);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        int monitorPort = Integer.parseInt(take(rest, "--monitor-port", "9464"));
        long settleMillis = Long.parseLong(take(rest, "--settle-ms", "3000"));
        State normal = new State(DEFAULT_PERIOD_MILLIS, DEFAULT_PERIOD_MILLIS);
        long amplifiedMillis = Long.parseLong(take(rest, "--amplified-ms", "100"));
        State amplified = new State(amplifiedMillis, amplifiedMillis);
        // the amplified sampling scraped at the default rate only: the sampler's share of the amplified cost
        State samplerOnly = Boolean.parseBoolean(take(rest, "--split", "false"))
                ? new State(amplifiedMillis, DEFAULT_PERIOD_MILLIS) : null;
        if (amplifiedMillis < 100 || amplifiedMillis >= DEFAULT_PERIOD_MILLIS) {
            throw new IllegalArgumentException("--amplified-ms " + amplifiedMillis
                    + ": the monitor samples every 100..60000 ms, and amplified means more often than every "
                    + DEFAULT_PERIOD_MILLIS + " ms");
        }
        List<State> all = samplerOnly == null ? List.of(State.OFF, normal, amplified)
                : List.of(State.OFF, normal, amplified, samplerOnly);
        List<int[]> orders = Orders.williams(all.size());
        Settings settings = Settings.parse(rest.toArray(String[]::new));
        Files.createDirectories(settings.work().resolve("logs"));
        Runtime.getRuntime().addShutdownHook(new Thread(MonitorOverhead::stopRunning, "stop-container"));
        MonitorControl monitor = new MonitorControl(monitorPort, settings.msfHome().resolve("etc/msf.monitor.cfg"),
                settings.work().resolve("msf-data/log/msf.log"));
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
            monitor.awaitScrape(true);
            Load warmUp = new Load(0, settings.sessionWarmupMillis());
            warmUp.pipelined(uds, SIZE, settings.window());
            warmUp.pipelined(tcp, SIZE, settings.window());
            Load load = new Load(settings.warmupMillis(), settings.measureMillis());
            State now = normal;
            long configured = DEFAULT_PERIOD_MILLIS;
            // rounds below 1 warm the container up in every state and are not reported
            for (int round = 1 - settings.warmupRounds(); round <= settings.rounds(); round++) {
                // the states' order rotates through a Williams design (every state as often in every position, and
                // after every other state); the transports' order flips after each full set of orders
                int[] order = orders.get(Math.floorMod(round - 1, orders.size()));
                boolean udsFirst = Math.floorMod(Math.floorDiv(round - 1, orders.size()), 2) == 0;
                for (int index : order) {
                    State state = all.get(index);
                    if (!state.equals(now)) {
                        if (!now.on()) {
                            server.msfExec("start " + monitorId, 120);
                            monitor.awaitScrape(true);
                        }
                        if (!state.on()) {
                            server.msfExec("stop " + monitorId, 120);
                            monitor.awaitScrape(false);
                        } else if (state.sampleMillis() != configured) {
                            double seen = monitor.samplePeriod(state.sampleMillis());
                            configured = state.sampleMillis();
                            log("monitor sampling every %d ms (samples seen %.0f ms apart)", configured, seen);
                        } else {
                            monitor.awaitPeriod(state.sampleMillis());
                        }
                        now = state;
                    }
                    // the same pause before every phase, switch or not: a phase right after an idle pause runs
                    // faster than one right after another (seen at 12:31: ~4 % between the positions in a round)
                    Thread.sleep(settleMillis);
                    LongAdder scrapes = new LongAdder();
                    LongAdder scrapeCpuNanos = new LongAdder();
                    var scraping = now.on() ? scraper.scheduleAtFixedRate(() -> {
                        long before = THREADS.getCurrentThreadCpuTime();
                        monitor.scrape(scrapes);
                        scrapeCpuNanos.add(THREADS.getCurrentThreadCpuTime() - before);
                    }, 0, now.scrapeMillis(), TimeUnit.MILLISECONDS) : null;
                    for (String transport : udsFirst ? List.of("uds", "tcp") : List.of("tcp", "uds")) {
                        BenchConnection connection = transport.equals("uds") ? uds : tcp;
                        // the monitor's CPU is read from /metrics outside what the other figures cover
                        double monitorBefore = now.on() ? monitor.cpuSeconds() : Double.NaN;
                        double cpuBefore = server.cpuSeconds();
                        SafepointCounters.Reading pausesBefore = SafepointCounters.read(containerPid(settings));
                        long scrapesBefore = scrapes.sum();
                        long scrapeCpuBefore = scrapeCpuNanos.sum();
                        long started = System.nanoTime();
                        double rate = load.pipelined(connection, SIZE, settings.window()).opsPerSecond();
                        double seconds = (System.nanoTime() - started) / 1e9;
                        long scraped = scrapes.sum() - scrapesBefore;
                        double scrapeCpuPercent = (scrapeCpuNanos.sum() - scrapeCpuBefore) / 1e7 / seconds;
                        // CPU over the whole load (its warm-up included) per message of the whole load
                        double cpuPerMessage = (server.cpuSeconds() - cpuBefore) * 1e6 / (rate * seconds);
                        SafepointCounters.Reading pauses = SafepointCounters.read(containerPid(settings));
                        double monitorPercent = now.on() ? (monitor.cpuSeconds() - monitorBefore) * 100 / seconds
                                : Double.NaN;
                        boolean paused = pausesBefore.safepoints() >= 0 && pauses.safepoints() >= 0;
                        Phase phase = new Phase(round, transport, now, rate, cpuPerMessage, scraped,
                                monitorPercent,
                                paused ? (pauses.safepoints() - pausesBefore.safepoints()) / seconds : Double.NaN,
                                paused ? (pauses.stoppedSeconds() - pausesBefore.stoppedSeconds()) * 1000 / seconds
                                        : Double.NaN,
                                scrapeCpuPercent);
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
        String report = settings.header() + OverheadReport.render(phases, normal, amplified, samplerOnly);
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

    /** The container JVM's pid (bin/msf writes it to its data dir); -1 if unknown. */
    private static long containerPid(Settings settings) {
        try {
            return Long.parseLong(Files.readString(settings.work().resolve("msf-data/msf.pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
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
