package io.msf.supervisor.internal;

import static org.awaitility.Awaitility.await;

import io.msf.supervisor.api.ProcessInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the tests see of a process: whether it still runs, and the program it runs. */
final class RunningProcesses {

    private RunningProcesses() {
    }

    /**
     * Alive and not a zombie. A killed shell's child is reparented to the machine's first process,
     * which in some containers never reaps it: the JDK then counts the dead child as alive for good.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException noProcFile) {
            return process.isAlive(); // not Linux, or just reaped
        }
    }

    /**
     * The arguments of the program {@code pid} runs. A command is launched through setsid, which
     * runs the program in its place a moment after the start: until then they are setsid's.
     */
    static List<String> programArguments(long pid) {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !process.info().command().orElse("").endsWith("/setsid"));
        return List.of(process.info().arguments().orElseThrow());
    }

    /**
     * Removes the processes a test made, every stop begun before any is waited for, and kills with SIGKILL
     * what of their runs and spares, listed before, is still alive once the removals are over or
     * {@code wait} has passed: one that fails or hangs must not leave the others, or a tree ignoring its
     * SIGTERM, running past the test (for up to the 1000 s of their sleeps).
     */
    static void removeAll(Collection<ManagedProcess> processes, Duration wait) throws Exception {
        List<ProcessHandle> alive = new ArrayList<>();
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        try {
            for (ManagedProcess process : processes) {
                ProcessInfo info = process.info();
                Stream.of(info.pid(), info.sparePid()).filter(pid -> pid > 0).map(ProcessHandle::of)
                        .flatMap(Optional::stream).forEach(root -> {
                            alive.add(root);
                            root.descendants().forEach(alive::add);
                        });
                removals.add(process.remove());
            }
            CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).get(wait.toMillis(),
                    TimeUnit.MILLISECONDS);
        } finally {
            alive.forEach(ProcessHandle::destroyForcibly); // a handle knows its start: a pid reused since is not hit
        }
    }
}
