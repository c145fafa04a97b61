package io.msf.monitor.internal.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads the figures Linux gives in {@code /proc/self}: what the JVM's MXBeans do not tell (resident
 * memory) or tell only through {@code com.sun} types (open files and their limit). Elsewhere every
 * figure is -1 (unknown) and its alert stays quiet.
 */
final class ProcFiles {

    private final Path self;

    ProcFiles(Path self) {
        this.self = self;
    }

    /** Resident set size in bytes, or -1. */
    long rssBytes() {
        long kib = statusKib(read("status"), "VmRSS");
        return kib < 0 ? -1 : kib * 1024;
    }

    /** Open file descriptors, or -1. */
    long openFiles() {
        try (Stream<Path> fds = Files.list(self.resolve("fd"))) {
            // The listing itself holds one descriptor open on the directory: not the process's own.
            return Math.max(0, fds.count() - 1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The soft limit on open files, or -1 when unlimited or unknown. */
    long maxOpenFiles() {
        return softLimit(read("limits"), "Max open files");
    }

    private String read(String file) {
        try {
            return Files.readString(self.resolve(file));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The value of a {@code Key:   123 kB} line of /proc/self/status, in KiB; -1 if absent. */
    static long statusKib(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                try {
                    return Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The soft limit of a /proc/self/limits row ({@code Max open files  1024  4096  files}); -1 if unlimited or absent. */
    static long softLimit(String limits, String name) {
        for (String line : limits.split("\n")) {
            if (line.startsWith(name)) {
                String[] parts = line.substring(name.length()).trim().split("\\s+");
                try {
                    return Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    return -1; // "unlimited"
                }
            }
        }
        return -1;
    }
}
