package io.msf.bench.broker;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The broker benchmark's driver (issue 4, section 9); {@code bench/broker/run.sh} starts it. One
 * system runs at a time: each round starts every session ({@code msf/uds}, {@code msf/tcp},
 * {@code fwd/uds}, {@code fwd/tcp}, {@code nats/tcp}) in turn with a fresh server and responder,
 * in an order rotated each round, runs the same scenarios against it ({@link Session}) and stops
 * it. Samples go to {@code samples.csv} as they come; the summary ({@link Report}) to stdout and
 * to {@code results.md}.
 */
public final class BrokerBench {

    /** The server of the session under way, stopped by the shutdown hook on Ctrl-C or SIGTERM. */
    private static volatile Server running;

    private BrokerBench() {
    }

    private static void stopRunning() {
        Server server = running;
        if (server != null) {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("broker: could not stop " + server.label() + ": " + e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        Files.createDirectories(settings.work());
        List<String> sessions = new ArrayList<>(settings.sessions());
        if (settings.msfHome() == null) {
            sessions.removeIf(s -> s.startsWith("msf/"));
            System.err.println("broker: no msf assembly given: msf skipped");
        }
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        Runtime.getRuntime().addShutdownHook(new Thread(BrokerBench::stopRunning, "stop-servers"));
        Path csv = settings.work().resolve("samples.csv");
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            out.println(Sample.csvHeader());
            for (int round = 1 - settings.warmupRounds(); round <= settings.rounds(); round++) {
                List<String> order = new ArrayList<>(sessions);
                Collections.rotate(order, -Math.floorMod(round - 1, order.size()));
                for (String label : order) {
                    int thisRound = round;
                    long started = System.nanoTime();
                    try (Server server = Server.start(label, settings, round)) {
                        running = server;
                        new Session(settings, server, round, sample -> {
                            System.err.println("broker: " + sample.csv());
                            if (thisRound > 0) {
                                samples.add(sample);
                                out.println(sample.csv());
                                out.flush();
                            }
                        }).run();
                    } catch (Exception e) {
                        System.err.println("broker: round " + round + " " + label + " FAILED: " + e);
                        e.printStackTrace();
                    } finally {
                        running = null;
                    }
                    System.err.printf("broker: round %d %s done in %.1f s%n", round, label,
                            (System.nanoTime() - started) / 1e9);
                }
            }
        }
        String report = settings.header() + new Report(samples).render();
        System.out.println(report);
        Path results = settings.work().resolve("results.md");
        Files.writeString(results, report, StandardCharsets.UTF_8);
        System.err.println("broker: samples in " + csv + ", summary in " + results);
    }
}
