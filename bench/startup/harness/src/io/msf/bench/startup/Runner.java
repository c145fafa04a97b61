package io.msf.bench.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/** Starts a container once, times it to ready, samples it after the settle time, stops it. */
final class Runner {

    private static final long POLL_MS = 10;
    private static final long SETTLE_MS = 2_000;

    private final Path logDir;
    private final Path pidFile;
    private final long timeoutMs;
    /** Shell command run at ready + settle with PID set to the JVM's pid (diagnostics), or null. */
    private final String atSettle;
    /** The process tree being measured, stopped by the shutdown hook if the harness is interrupted. */
    private final AtomicReference<ProcessHandle> current = new AtomicReference<>();

    Runner(Path logDir, Path pidFile, long timeoutMs, String atSettle) {
        this.logDir = logDir;
        this.pidFile = pidFile;
        this.timeoutMs = timeoutMs;
        this.atSettle = atSettle;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ProcessHandle running = current.get();
            if (running != null) {
                ProcFs.stopTree(running);
            }
        }, "stop-container"));
    }

    RunResult run(Contender contender, int round) throws IOException, InterruptedException {
        for (Path dir : contender.wipe()) {
            wipe(dir, contender.keep());
        }
        Path log = logDir.resolve(contender.name() + "-" + round + ".log");
        Files.deleteIfExists(log);
        ProcessBuilder builder = new ProcessBuilder(contender.command())
                .directory(contender.workDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(contender.env());
        List<Milestone> milestones = contender.milestones().apply(log);
        Milestone givesUp = contender.giveUpLine() == null ? null
                : Milestone.lineIn("gave-up", log, contender.giveUpLine());

        for (Milestone m : milestones) {
            if (m.reached()) {
                // e.g. a port still held by a container that someone else left running
                return RunResult.failed(contender.name(), round,
                        m.name() + " already true before launch (" + m.evidence() + "): something else holds it");
            }
        }

        // stdin stays an open pipe nobody writes to, like an idle terminal, for every container
        long launched = System.nanoTime();
        Process process = builder.start();
        current.set(process.toHandle());
        Files.writeString(pidFile, Long.toString(process.pid()));
        try {
            Map<String, Long> reachedAt = new LinkedHashMap<>();
            while (reachedAt.size() < milestones.size()) {
                for (Milestone m : milestones) {
                    if (!reachedAt.containsKey(m.name()) && m.reached()) {
                        reachedAt.put(m.name(), elapsedMs(launched));
                    }
                }
                if (reachedAt.size() == milestones.size()) {
                    break;
                }
                if (givesUp != null && givesUp.reached()) {
                    return RunResult.failed(contender.name(), round, "said `" + givesUp.evidence() + "`, see " + log);
                }
                if (!process.isAlive()) {
                    return RunResult.failed(contender.name(), round,
                            "exited with " + process.exitValue() + " before ready, see " + log);
                }
                if (elapsedMs(launched) > timeoutMs) {
                    return RunResult.failed(contender.name(), round,
                            "not ready after " + timeoutMs + " ms (reached " + reachedAt.keySet() + "), see " + log);
                }
                Thread.sleep(POLL_MS);
            }
            long readyMs = reachedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            ProcessHandle jvm = ProcFs.jvmOf(process.toHandle()).orElse(null);
            if (jvm == null) {
                return RunResult.failed(contender.name(), round, "ready, but no java process found");
            }
            long jvmAgeMs = ProcFs.ageMillis(jvm.pid());
            long cpuMs = ProcFs.cpuMillis(jvm.pid());
            Thread.sleep(Math.max(0, readyMs + SETTLE_MS - elapsedMs(launched)));
            long rssKb = ProcFs.statusField(jvm.pid(), "VmRSS:");
            long threads = ProcFs.statusField(jvm.pid(), "Threads:");
            List<String> listeners = ProcFs.tcpListeners(jvm.pid());
            if (atSettle != null) {
                runAtSettle(jvm.pid(), logDir.resolve(contender.name() + "-" + round + ".settle.txt"));
            }
            List<String> exposed = listeners.stream().filter(a -> !ProcFs.isLoopback(a)).toList();
            if (!exposed.isEmpty()) {
                // only loopback traffic is allowed on this machine: such a layout must be fixed first
                return RunResult.failed(contender.name(), round, "listens beyond loopback on " + exposed);
            }
            if (contender.holdUntil() != null) {
                awaitLine(Milestone.lineIn(contender.holdUntil(), log, contender.holdUntil()), readyMs, launched);
            }
            Milestone last = milestones.get(milestones.size() - 1);
            return new RunResult(contender.name(), round, null, reachedAt, readyMs, jvmAgeMs, cpuMs, rssKb, threads,
                    listeners, last.evidence());
        } finally {
            ProcFs.stopTree(process.toHandle());
            process.waitFor(30, TimeUnit.SECONDS);
            process.getOutputStream().close();
            current.set(null);
            Files.deleteIfExists(pidFile);
        }
    }

    private void runAtSettle(long jvmPid, Path output) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", atSettle)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("PID", Long.toString(jvmPid));
        Process diagnostics = builder.start();
        if (!diagnostics.waitFor(60, TimeUnit.SECONDS)) {
            ProcFs.stopTree(diagnostics.toHandle());
        }
    }

    private static long elapsedMs(long sinceNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }

    /** Waits for a line the container prints after ready (msf's class-data archive), within the timeout. */
    private void awaitLine(Milestone line, long readyMs, long launched) throws InterruptedException, IOException {
        while (!line.reached()) {
            if (elapsedMs(launched) > readyMs + timeoutMs) {
                throw new IOException("no line `" + line.name() + "` within " + timeoutMs + " ms after ready");
            }
            Thread.sleep(POLL_MS * 10);
        }
    }

    /** Deletes {@code dir}, except the top-level files whose names match one of {@code keep}. */
    private static void wipe(Path dir, List<String> keep) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<PathMatcher> kept = keep.stream().map(g -> dir.getFileSystem().getPathMatcher("glob:" + g)).toList();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                boolean keepIt = p.getParent() != null && p.getParent().equals(dir)
                        && kept.stream().anyMatch(m -> m.matches(p.getFileName()));
                boolean holdsKept = p.equals(dir) && !kept.isEmpty();
                if (!keepIt && !holdsKept) {
                    Files.delete(p);
                }
            }
        }
    }
}
