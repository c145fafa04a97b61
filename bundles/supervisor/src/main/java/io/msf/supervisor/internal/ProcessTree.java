package io.msf.supervisor.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Signals and figures of a process together with its descendants. The tree has to be listed
 * while its root is alive: once the root is gone its children are re-parented and can no longer
 * be found from it.
 */
final class ProcessTree {

    private static final Path PROC = Path.of("/proc");

    private ProcessTree() {
    }

    /**
     * Asks the process to end (SIGTERM on Unix). {@code wholeTree}: every descendant too, for
     * programs such as shell scripts that do not pass the signal on; a child container handles
     * the signal itself and stops its own children in order.
     *
     * @return the process and its descendants as they were, for {@link #kill(List)} later
     */
    static List<ProcessHandle> terminate(ProcessHandle root, boolean wholeTree) {
        List<ProcessHandle> tree = tree(root);
        if (wholeTree) {
            tree.forEach(ProcessHandle::destroy);
        } else {
            root.destroy();
        }
        return tree;
    }

    /**
     * Kills (SIGKILL on Unix) whatever of {@code tree} is still alive, and what descended from
     * its live members since. A handle remembers its process's start time, so a pid reused since
     * is never hit.
     */
    static void kill(List<ProcessHandle> tree) {
        List<ProcessHandle> all = new ArrayList<>(tree);
        for (ProcessHandle process : tree) {
            if (process.isAlive()) {
                process.descendants().forEach(all::add);
            }
        }
        all.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Alive and not a zombie. The JDK counts a zombie (dead, not yet reaped) as alive, and a
     * descendant re-parented to a first process that never reaps (as in some containers) stays one
     * for good: waiting for it to go would wait forever.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        // no /proc (not Linux), or it has just been reaped: as the JDK tells
        return ProcStat.of(process.pid()).map(ProcStat::running).orElseGet(process::isAlive);
    }

    /** The process and its descendants as they are now, for a signal that is to follow (a kill, a SIGTERM said first). */
    static List<ProcessHandle> tree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        return tree;
    }

    /** Resident memory of the process and its descendants from /proc, or -1 where /proc tells nothing. */
    static long rssBytes(ProcessHandle root) {
        long total = -1;
        for (ProcessHandle process : (Iterable<ProcessHandle>) Stream.concat(Stream.of(root), root.descendants())::iterator) {
            long rss = rssBytes(PROC.resolve(Long.toString(process.pid())).resolve("status"));
            if (rss >= 0) {
                total = Math.max(total, 0) + rss;
            }
        }
        return total;
    }

    /** CPU time of the process and its descendants as the OS reports it, or -1 where it does not. */
    static long cpuMillis(ProcessHandle root) {
        long total = -1;
        for (ProcessHandle process : (Iterable<ProcessHandle>) Stream.concat(Stream.of(root), root.descendants())::iterator) {
            Optional<Duration> cpu = process.info().totalCpuDuration();
            if (cpu.isPresent()) {
                total = Math.max(total, 0) + cpu.get().toMillis();
            }
        }
        return total;
    }

    static long rssBytes(Path statusFile) {
        try {
            // ISO-8859-1 maps every byte: the Name line holds the program's name as its bytes, whatever they are
            return vmRssBytes(Files.readAllLines(statusFile, StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return -1; // no /proc (not Linux), or the process just ended
        }
    }

    /** The {@code VmRSS:   1234 kB} line of /proc/&lt;pid&gt;/status in bytes, or -1 without one. */
    static long vmRssBytes(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
            }
        }
        return -1;
    }
}
