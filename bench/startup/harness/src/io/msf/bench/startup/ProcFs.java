package io.msf.bench.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Linux /proc readings of a launched container: its JVM, memory, threads, CPU and listeners. */
final class ProcFs {

    /** Clock ticks per second of /proc/PID/stat times; 100 on every Linux/x86 kernel in use. */
    private static final long CLOCK_TICKS = 100;

    private ProcFs() {
    }

    /**
     * The container's JVM: the launched process if it is java (or exec'd into it), else the
     * descendant java process with the largest RSS (launcher scripts may run short-lived
     * {@code java -version} probes, so this is asked at ready time, not at launch).
     */
    static Optional<ProcessHandle> jvmOf(ProcessHandle launched) {
        return Stream.concat(Stream.of(launched), launched.descendants())
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .max(Comparator.comparingLong(p -> statusField(p.pid(), "VmRSS:")));
    }

    /** A numeric field of /proc/PID/status ({@code VmRSS:} in kB, {@code Threads:}); -1 if gone. */
    static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended between the lookup and the read
        }
        return -1;
    }

    /** User + system CPU time the process has used so far, in ms; -1 if gone. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the parenthesised command: state is field 3, utime 14, stime 15, starttime 22
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000 / CLOCK_TICKS;
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /**
     * How long ago the process was created, in ms (10 ms resolution): at ready, the launch-to-ready
     * time minus this is what the launcher script spent before the JVM process began.
     */
    static long ageMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            long startTicks = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
            double uptimeSeconds = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            return Math.round(uptimeSeconds * 1000) - startTicks * 1000 / CLOCK_TICKS;
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /** The TCP addresses the process listens on, as {@code ip:port}. */
    static List<String> tcpListeners(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed while listing: not a listener
                }
            });
        }
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // f[1] local address, f[3] state (0A = LISTEN), f[9] inode
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    listening.add(decode(f[1]));
                }
            }
        }
        return listening;
    }

    /** True for 127.0.0.0/8, ::1 and ::ffff:127.x; wildcard and other addresses are not. */
    static boolean isLoopback(String ipPort) {
        String ip = ipPort.substring(0, ipPort.lastIndexOf(':'));
        return ip.startsWith("127.") || ip.equals("::1") || ip.startsWith("::ffff:127.");
    }

    /**
     * Stops the launched process and everything under it: SIGTERM to all, up to 20 s for a
     * clean shutdown, then SIGKILL to what is left.
     */
    static void stopTree(ProcessHandle launched) {
        List<ProcessHandle> all = new ArrayList<>(launched.descendants().toList());
        all.add(launched);
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception notInTime) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    /** Decodes a /proc/net/tcp{,6} address: hex 32-bit words, each in host (little-endian) order. */
    private static String decode(String hexAddressPort) {
        String[] parts = hexAddressPort.split(":");
        int port = Integer.parseInt(parts[1], 16);
        int[] b = new int[parts[0].length() / 2];
        for (int word = 0; word < b.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int hexAt = word * 8 + (3 - i) * 2;
                b[word * 4 + i] = Integer.parseInt(parts[0].substring(hexAt, hexAt + 2), 16);
            }
        }
        if (b.length == 4) {
            return b[0] + "." + b[1] + "." + b[2] + "." + b[3] + ":" + port;
        }
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        if (zeroPrefix && b[10] == 0xff && b[11] == 0xff) {
            return "::ffff:" + b[12] + "." + b[13] + "." + b[14] + "." + b[15] + ":" + port;
        }
        boolean loopback = zeroPrefix && b[10] == 0 && b[11] == 0 && b[12] == 0 && b[13] == 0 && b[14] == 0
                && b[15] == 1;
        return (loopback ? "::1" : "[" + parts[0] + "]") + ":" + port;
    }
}
