package io.msf.supervisor.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a process still runs, as the tests see it. */
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
}
