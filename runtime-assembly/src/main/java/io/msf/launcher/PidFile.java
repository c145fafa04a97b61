package io.msf.launcher;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The pid file that marks a data folder as in use. Two containers on one data folder would wipe
 * each other's framework cache and fight over the shell socket, so a second launcher refuses to
 * start while the recorded process is alive and is an msf launcher; a stale file left by a crash
 * (dead pid, or a pid since reused by some other program) is simply replaced.
 */
final class PidFile {

    /** The launcher's main class, looked for in the recorded process's command line. */
    static final String LAUNCHER_MARK = Main.class.getName();

    private final Path file;
    private final long pid;

    private PidFile(Path file, long pid) {
        this.file = file;
        this.pid = pid;
    }

    /**
     * Records this process in {@code file}.
     *
     * @throws IllegalStateException another live msf launcher holds the file
     * @throws IOException           the file cannot be written
     */
    static PidFile claim(Path file) throws IOException {
        long self = ProcessHandle.current().pid();
        Optional<Long> recorded = read(file);
        if (recorded.isPresent() && recorded.get() != self && isLiveLauncher(recorded.get())) {
            throw new IllegalStateException("already running as pid " + recorded.get() + " (pid file " + file + ")");
        }
        // Written beside and renamed into place (rename(2) replaces atomically), so a reader never
        // sees a half-written pid. java.io rather than Files.writeString/Files.move: this runs
        // before the framework starts, and those load ~20 ms of NIO classes nothing else needs then.
        File temporary = file.resolveSibling(file.getFileName() + ".tmp").toFile();
        try (FileOutputStream out = new FileOutputStream(temporary)) {
            out.write((self + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        if (!temporary.renameTo(file.toFile())) {
            throw new IOException("cannot rename " + temporary + " to " + file);
        }
        return new PidFile(file, self);
    }

    /** Deletes the file if it still records this process (a newer launcher may have replaced it). */
    void release() {
        try {
            if (read(file).filter(recorded -> recorded == pid).isPresent()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // the next start replaces a stale file; nothing else depends on its removal
        }
    }

    static Optional<Long> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isLiveLauncher(long pid) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                // where the OS hides other processes' command lines, assume it is ours: refusing is safe
                .map(process -> process.info().commandLine().map(line -> line.contains(LAUNCHER_MARK)).orElse(true))
                .orElse(false);
    }
}
