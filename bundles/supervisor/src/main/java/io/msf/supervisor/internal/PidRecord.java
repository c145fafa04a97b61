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
 *
 * <p>One line, {@code <pid> <start> <ticks> <boot>}: the start in epoch milliseconds as the JDK
 * told it, and on Linux the start in clock ticks since boot ({@link ProcStat#startTicks}) with the
 * id of that boot (ticks of two boots do not compare); {@code -1 -} where they are not known. The
 * ticks hold across a step of the wall clock, which moves the JDK's start instants (read by the
 * next parent against the boot time it reads then). A record of two words, the pid and the start
 * in milliseconds, is one an earlier version wrote.
 */
final class PidRecord {

    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final String UNKNOWN_BOOT = "-";

    private PidRecord() {
    }

    static void write(Path file, ProcessHandle process) throws IOException {
        long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        String boot = bootId();
        long ticks = boot.equals(UNKNOWN_BOOT) ? -1 : ProcStat.of(process.pid()).map(ProcStat::startTicks).orElse(-1L);
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(partial, process.pid() + " " + started + " " + ticks + " " + (ticks < 0 ? UNKNOWN_BOOT : boot)
                + "\n", StandardCharsets.US_ASCII);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The live process the record names, if it is still the one recorded. */
    static Optional<ProcessHandle> leftover(Path file) {
        return read(file).flatMap(Run::process);
    }

    /**
     * The run the record names, alive or not; none for this very process, nor for a run of an
     * earlier boot of the machine: nothing of it runs.
     */
    static Optional<Run> read(Path file) {
        List<String> words;
        try {
            words = List.of(Files.readString(file, StandardCharsets.US_ASCII).trim().split("\\s+"));
        } catch (IOException e) {
            return Optional.empty();
        }
        if (words.size() != 2 && words.size() != 4) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(words.get(0));
            long started = Long.parseLong(words.get(1));
            long ticks = words.size() == 4 ? Long.parseLong(words.get(2)) : -1;
            String boot = ticks >= 0 ? bootId() : UNKNOWN_BOOT;
            if (ticks >= 0 && !words.get(3).equals(boot)) {
                if (!boot.equals(UNKNOWN_BOOT)) {
                    return Optional.empty(); // an earlier boot's
                }
                ticks = -1; // this boot's id cannot be read now: the ticks may be another boot's
            }
            return pid == ProcessHandle.current().pid() ? Optional.empty() : Optional.of(new Run(pid, started, ticks));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The id of the machine's current boot, or {@value #UNKNOWN_BOOT} where {@code /proc} does not tell it. */
    private static String bootId() {
        try {
            String id = Files.readString(BOOT_ID, StandardCharsets.US_ASCII).strip();
            return id.isEmpty() || id.contains(" ") ? UNKNOWN_BOOT : id;
        } catch (IOException e) {
            return UNKNOWN_BOOT;
        }
    }

    /**
     * A recorded run.
     *
     * @param pid        its pid
     * @param started    its start in epoch milliseconds as the JDK told it (0: unknown)
     * @param startTicks its start in clock ticks since this boot (-1: unknown), which a step of the
     *                   wall clock since the record was written does not move, unlike {@code started}
     */
    record Run(long pid, long started, long startTicks) {

        /** Whether the record tells when the run started, so that its group's members can be told. */
        boolean startKnown() {
            return started > 0 || startTicks >= 0;
        }

        /** Its start as the JDK told it, or null. */
        Instant startInstant() {
            return started > 0 ? Instant.ofEpochMilli(started) : null;
        }

        /** The process, if it still runs and is the one recorded. */
        Optional<ProcessHandle> process() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::recorded);
        }

        /** Whether the pid now names another process: the recorded one is gone and its pid handed out again. */
        boolean reused() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> !recorded(process)).isPresent();
        }

        private boolean recorded(ProcessHandle process) {
            Optional<ProcStat> stat = startTicks >= 0 ? ProcStat.of(process.pid()) : Optional.empty();
            if (stat.isPresent()) {
                return stat.get().startTicks() == startTicks;
            }
            return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == started;
        }
    }
}
