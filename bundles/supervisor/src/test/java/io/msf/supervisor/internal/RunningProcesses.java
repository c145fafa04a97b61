package io.msf.supervisor.internal;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
}
