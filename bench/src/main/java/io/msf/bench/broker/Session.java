package io.msf.bench.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every scenario against one running system, in a fixed order: a session warm-up (discarded),
 * then closed-loop request/reply for each payload size and client count, pipelined async requests,
 * pub/sub; for msf over UDS also the in-container echo handler, from outside (UDS) and from inside
 * ({@code bench:inproc}).
 */
final class Session {

    private static final Pattern INPROC = Pattern.compile(
            "inproc bytes=(\\d+) count=(\\d+) ops_per_s=(\\d+) p50_ns=(\\d+) p99_ns=(\\d+) p999_ns=(\\d+)");

    private final Settings settings;
    private final Server server;
    private final int round;
    private final Consumer<Sample> sink;
    private final Load load;

    Session(Settings settings, Server server, int round, Consumer<Sample> sink) {
        this.settings = settings;
        this.server = server;
        this.round = round;
        this.sink = sink;
        this.load = new Load(settings.warmupMillis(), settings.measureMillis());
    }

    void run() throws Exception {
        String system = server.label();
        int most = settings.clients().stream().mapToInt(Integer::intValue).max().orElse(1);
        List<BenchConnection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < most; i++) {
                clients.add(awaitEcho(server.connect(BenchConnection.ECHO_ID)));
            }
            warmUp(clients);
            warmUpPubSub();
            for (int size : settings.sizes()) {
                for (int count : settings.clients()) {
                    Metered metered = metered(() -> load.closedLoop(clients.subList(0, count), size));
                    sink.accept(Sample.latency(system, Sample.scenario("rr", size, "c" + count), round,
                            metered.outcome.latencyNanos(), metered.outcome.opsPerSecond(), metered.cpuPerOp));
                }
            }
            for (int size : settings.sizes()) {
                Metered metered = metered(() -> load.pipelined(clients.get(0), size, settings.window()));
                sink.accept(Sample.throughput(system, Sample.scenario("async", size, "w" + settings.window()), round,
                        metered.outcome.opsPerSecond(), metered.cpuPerOp));
            }
            for (int size : settings.sizes()) {
                try (BenchConnection publisher = server.connect(BenchConnection.ECHO_ID);
                        BenchConnection subscriber = server.connect(BenchConnection.ECHO_ID)) {
                    Metered metered = metered(() -> load.pubSub(publisher, subscriber, size, settings.window()));
                    sink.accept(Sample.throughput(system, Sample.scenario("pubsub", size, "w" + settings.window()),
                            round, metered.outcome.opsPerSecond(), metered.cpuPerOp));
                }
            }
            if (system.equals("msf/uds")) {
                inContainer();
            }
        } finally {
            clients.forEach(BenchConnection::close);
        }
    }

    /** Runs every load briefly so that the server's JIT has compiled its paths before anything counts. */
    private void warmUp(List<BenchConnection> clients) throws Exception {
        Load brief = new Load(0, settings.sessionWarmupMillis() / 2);
        brief.closedLoop(clients, settings.sizes().get(0));
        new Load(0, settings.sessionWarmupMillis() / 2).pipelined(clients.get(0), settings.sizes().get(0),
                settings.window());
    }

    /**
     * Publishes for a whole session warm-up on connections of their own: publications take paths
     * of their own in the server (fan-out) and in the client (publishing, delivery to a listener),
     * which the requests above do not compile. Without this the first pub/sub scenario measured a
     * JVM still compiling them (the JVM systems needed 5-10 s to reach their rate, nats-server none).
     */
    private void warmUpPubSub() throws Exception {
        try (BenchConnection publisher = server.connect(BenchConnection.ECHO_ID);
                BenchConnection subscriber = server.connect(BenchConnection.ECHO_ID)) {
            new Load(0, settings.sessionWarmupMillis()).pubSub(publisher, subscriber, settings.sizes().get(0),
                    settings.window());
        }
    }

    /** The same echo handler, inside the container: over UDS from this process, then from inside. */
    private void inContainer() throws Exception {
        try (BenchConnection local = awaitEcho(server.connect(BenchConnection.LOCAL_ECHO_ID))) {
            new Load(0, settings.sessionWarmupMillis() / 2).closedLoop(List.of(local), settings.sizes().get(0));
            for (int size : settings.sizes()) {
                Metered metered = metered(() -> load.closedLoop(List.of(local), size));
                sink.accept(Sample.latency("msf-local/uds", Sample.scenario("rr", size, "c1"), round,
                        metered.outcome.latencyNanos(), metered.outcome.opsPerSecond(), metered.cpuPerOp));
            }
        }
        server.msfExec("bench:inproc " + settings.sizes().get(0) + " 0 " + settings.sessionWarmupMillis(), 120);
        for (int size : settings.sizes()) {
            String output = server.msfExec("bench:inproc " + size + " " + settings.warmupMillis() + " "
                    + settings.measureMillis(), 120);
            Matcher m = INPROC.matcher(output);
            if (!m.find()) {
                throw new IllegalStateException("bench:inproc printed no result: " + output);
            }
            sink.accept(new Sample("msf/inproc", Sample.scenario("rr", size, "c1"), round,
                    Long.parseLong(m.group(4)) / 1000.0, Long.parseLong(m.group(5)) / 1000.0,
                    Long.parseLong(m.group(6)) / 1000.0, Double.parseDouble(m.group(3)), Double.NaN));
        }
    }

    /** A load's outcome with the server's CPU time per operation over the whole load (warm-up included). */
    private record Metered(Load.Outcome outcome, double cpuPerOp) {
    }

    private interface LoadRun {
        Load.Outcome run() throws Exception;
    }

    private Metered metered(LoadRun run) throws Exception {
        double cpuBefore = server.cpuSeconds();
        long started = System.nanoTime();
        Load.Outcome outcome = run.run();
        double seconds = (System.nanoTime() - started) / 1e9;
        double operations = outcome.opsPerSecond() * seconds;
        return new Metered(outcome, (server.cpuSeconds() - cpuBefore) * 1e6 / operations);
    }

    /** Sends requests until one is answered: the responder (or the probe bundle) may still be registering. */
    static BenchConnection awaitEcho(BenchConnection connection) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                connection.request(1);
                return connection;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    connection.close();
                    throw new IllegalStateException("the echo responder never answered", e);
                }
                Thread.sleep(200);
            }
        }
    }
}
