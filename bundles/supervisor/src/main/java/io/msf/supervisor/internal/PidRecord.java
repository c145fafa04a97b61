package io.msf.supervisor.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code data/children/<name>/proc.pid}: the pid and start time of a process's current run. A
 * parent killed with SIGKILL cannot stop its children; the next parent reads this record before
 * it starts the process again and ends the run that was left behind. The start time tells that
 * run from an unrelated process that got the same pid since.
 */
final class PidRecord {

    private PidRecord() {
    }

    static void write(Path file, ProcessHandle process) throws IOException {
        long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(partial, process.pid() + " " + started + "\n", StandardCharsets.US_ASCII);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The live process the record names, if it is still the one recorded. */
    static Optional<ProcessHandle> leftover(Path file) {
        return read(file).flatMap(Run::process);
    }

    /** The run the record names, alive or not; none for this very process. */
    static Optional<Run> read(Path file) {
        List<String> words;
        try {
            words = List.of(Files.readString(file, StandardCharsets.US_ASCII).trim().split("\\s+"));
        } catch (IOException e) {
            return Optional.empty();
        }
        if (words.size() != 2) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(words.get(0));
            long started = Long.parseLong(words.get(1));
            return pid == ProcessHandle.current().pid() ? Optional.empty() : Optional.of(new Run(pid, started));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A recorded run.
     *
     * @param pid     its pid
     * @param started its start in epoch milliseconds as the JDK told it (0: unknown)
     */
    record Run(long pid, long started) {

        /** The process, if it still runs and is the one recorded. */
        Optional<ProcessHandle> process() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::recorded);
        }

        /** Whether the pid now names another process: the recorded one is gone and its pid handed out again. */
        boolean reused() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> !recorded(process)).isPresent();
        }

        private boolean recorded(ProcessHandle process) {
            return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == started;
        }
    }
}
