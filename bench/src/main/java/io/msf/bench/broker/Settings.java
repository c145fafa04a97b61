package io.msf.bench.broker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The driver's command line ({@code bench/broker/run.sh} writes it); every option has a default. */
record Settings(Path work, Path jar, String java, Path msfHome, int msfAgentPort, List<String> serverOpts,
        List<String> msfOpts, List<String> fwdOpts, List<String> clientOpts, String serverCpus, String clientCpus, int rounds,
        int warmupRounds, long sessionWarmupMillis, long warmupMillis, long measureMillis, List<Integer> sizes,
        List<Integer> clients, int window, List<String> sessions, String header) {

    static final List<String> ALL_SESSIONS = List.of("msf/uds", "msf/tcp", "fwd/uds", "fwd/tcp", "nats/tcp");

    static Settings parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + args[i] + "'");
            }
            given.put(args[i].substring(2), args[i + 1]);
        }
        Settings settings = new Settings(
                Path.of(take(given, "work", "bench/target/broker")),
                Path.of(take(given, "jar", "bench/target/benchmarks.jar")),
                take(given, "java", "java"),
                optionalPath(take(given, "msf-home", "")),
                Integer.parseInt(take(given, "msf-agent-port", "7420")),
                words(take(given, "server-opts", "-Xms32m -Xmx256m -XX:+UseSerialGC")),
                words(take(given, "msf-opts", "")),
                words(take(given, "fwd-opts", "")),
                words(take(given, "client-opts", "-Xms256m -Xmx256m -XX:+UseSerialGC")),
                take(given, "server-cpus", ""),
                take(given, "client-cpus", ""),
                Integer.parseInt(take(given, "rounds", "3")),
                Integer.parseInt(take(given, "warmup-rounds", "0")),
                Long.parseLong(take(given, "session-warmup-ms", "3000")),
                Long.parseLong(take(given, "warmup-ms", "2000")),
                Long.parseLong(take(given, "measure-ms", "3000")),
                numbers(take(given, "sizes", "64,1024")),
                numbers(take(given, "clients", "1,16")),
                Integer.parseInt(take(given, "window", "256")),
                sessions(take(given, "only", String.join(",", ALL_SESSIONS))),
                take(given, "header", ""));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + given.keySet());
        }
        return settings;
    }

    private static String take(Map<String, String> given, String key, String fallback) {
        String value = given.remove(key);
        return value != null ? value : fallback;
    }

    private static Path optionalPath(String text) {
        return text.isEmpty() ? null : Path.of(text);
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
    }

    private static List<Integer> numbers(String text) {
        List<Integer> numbers = new ArrayList<>();
        for (String word : text.split(",")) {
            numbers.add(Integer.parseInt(word.trim()));
        }
        return List.copyOf(numbers);
    }

    private static List<String> sessions(String text) {
        List<String> chosen = new ArrayList<>();
        for (String word : text.split(",")) {
            String session = word.trim();
            if (!ALL_SESSIONS.contains(session)) {
                throw new IllegalArgumentException("unknown session '" + session + "'; known: " + ALL_SESSIONS);
            }
            chosen.add(session);
        }
        return List.copyOf(chosen);
    }

    /** {@code taskset -c <cpus>} in front of a command when pinning was asked for. */
    static List<String> pinned(String cpus, List<String> command) {
        if (cpus.isEmpty()) {
            return command;
        }
        List<String> result = new ArrayList<>(List.of("taskset", "-c", cpus));
        result.addAll(command);
        return result;
    }
}
