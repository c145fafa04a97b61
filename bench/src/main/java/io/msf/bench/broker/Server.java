package io.msf.bench.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One system under test for one session, with its echo responder in a process of its own:
 * the msf container (its real assembly, {@code bin/msf start}/{@code stop}), the forwarder (a JVM
 * with the container's JVM options) or nats-server. Clients connect with {@link #connect}.
 */
final class Server implements AutoCloseable {

    /** USER_HZ: 100 on every Linux architecture this runs on. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private final String label;
    private final Settings settings;
    private final List<ChildProcess> processes = new ArrayList<>();
    private SocketAddress address;
    private String natsUrl;
    private boolean msfRunning;

    private Server(String label, Settings settings) {
        this.label = label;
        this.settings = settings;
    }

    /** Starts {@code label} ({@code msf/uds}, {@code fwd/tcp}, {@code nats/tcp}, ...) and its responder. */
    static Server start(String label, Settings settings, int round) throws Exception {
        Server server = new Server(label, settings);
        try {
            server.startServer(round);
            server.startResponder(round);
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    private void startServer(int round) throws Exception {
        String system = label.substring(0, label.indexOf('/'));
        boolean uds = label.endsWith("/uds");
        Path logs = settings.work().resolve("logs");
        String tag = label.replace('/', '-') + "-r" + round;
        switch (system) {
            case "msf" -> {
                Path data = msfData();
                List<String> start = Settings.pinned(settings.serverCpus(),
                        List.of(settings.msfHome().resolve("bin/msf").toString(), "start"));
                ChildProcess starter = ChildProcess.start("msf start", start, msfEnvironment(), logs.resolve(tag + ".start.log"), null);
                if (starter.waitFor(120) != 0) {
                    throw new IllegalStateException("bin/msf start failed: " + starter.output());
                }
                msfRunning = true;
                address = uds ? UnixDomainSocketAddress.of(data.resolve("agent.sock"))
                        : new InetSocketAddress("127.0.0.1", settings.msfAgentPort());
            }
            case "fwd" -> {
                int port = freePort();
                Path socket = settings.work().resolve("fwd.sock");
                List<String> command = new ArrayList<>(List.of(settings.java()));
                command.addAll(settings.serverOpts());
                command.addAll(settings.fwdOpts());
                command.addAll(List.of("-cp", settings.jar().toString(), Forwarder.class.getName(),
                        Integer.toString(port), socket.toString()));
                processes.add(ChildProcess.start("forwarder", Settings.pinned(settings.serverCpus(), command), Map.of(),
                        logs.resolve(tag + ".server.log"), "forwarder ready").awaitReady(60));
                address = uds ? UnixDomainSocketAddress.of(socket) : new InetSocketAddress("127.0.0.1", port);
            }
            case "nats" -> {
                int port = freePort();
                List<String> command = List.of("nats-server", "-a", "127.0.0.1", "-p", Integer.toString(port));
                processes.add(ChildProcess.start("nats-server", Settings.pinned(settings.serverCpus(), command),
                        Map.of(), logs.resolve(tag + ".server.log"), "Server is ready").awaitReady(60));
                natsUrl = "nats://127.0.0.1:" + port;
            }
            default -> throw new IllegalArgumentException("unknown system " + system);
        }
    }

    private void startResponder(int round) throws Exception {
        List<String> command = new ArrayList<>(List.of(settings.java()));
        command.addAll(settings.clientOpts());
        command.addAll(List.of("-cp", settings.jar().toString(), Responder.class.getName()));
        command.addAll(natsUrl != null ? List.of("nats", natsUrl) : List.of("msf", Addresses.format(address)));
        Path log = settings.work().resolve("logs").resolve(label.replace('/', '-') + "-r" + round + ".responder.log");
        processes.add(ChildProcess.start("responder", Settings.pinned(settings.clientCpus(), command), Map.of(), log,
                "responder ready").awaitReady(60));
    }

    /** A client connection that sends its requests to the echo responder (or to {@code targetId}, msf only). */
    BenchConnection connect(int targetId) throws Exception {
        return natsUrl != null ? NatsConnection.connect(natsUrl) : MsfConnection.connect(address, targetId);
    }

    String label() {
        return label;
    }

    /**
     * CPU seconds (user + system) the server process has used so far, from /proc; NaN if unknown.
     * The forwarder's and nats-server's own process, the container's JVM (its pid file) for msf.
     */
    double cpuSeconds() {
        try {
            long pid = msfRunning ? Long.parseLong(Files.readString(msfData().resolve("msf.pid")).trim())
                    : processes.get(0).pid();
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[11], fields[12]: utime, stime (the 14th and 15th of the whole line) in clock ticks
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Runs a Gogo command in the msf container ({@code bin/msf exec}); its output. */
    String msfExec(String command, long timeoutSeconds) throws Exception {
        Path log = settings.work().resolve("logs").resolve("msf-exec.log");
        ChildProcess exec = ChildProcess.start("msf exec", List.of(settings.msfHome().resolve("bin/msf").toString(),
                "exec", command), msfEnvironment(), log, null);
        int exit = exec.waitFor(timeoutSeconds);
        String output = exec.output();
        if (exit != 0) {
            throw new IllegalStateException("bin/msf exec '" + command + "' failed (exit " + exit + "): " + output);
        }
        return output;
    }

    private Path msfData() {
        return settings.work().resolve("msf-data");
    }

    private Map<String, String> msfEnvironment() {
        List<String> options = new ArrayList<>(settings.serverOpts());
        options.addAll(settings.msfOpts());
        return Map.of("MSF_DATA", msfData().toString(), "MSF_JAVA_OPTS", String.join(" ", options));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Stops the responder, then the server. */
    @Override
    public void close() throws Exception {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        processes.clear();
        if (msfRunning) {
            msfRunning = false;
            ChildProcess stop = ChildProcess.start("msf stop", List.of(settings.msfHome().resolve("bin/msf").toString(),
                    "stop"), msfEnvironment(), settings.work().resolve("logs/msf-stop.log"), null);
            stop.waitFor(60);
        }
        Files.deleteIfExists(settings.work().resolve("fwd.sock"));
    }
}
