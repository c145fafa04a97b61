package io.msf.supervisor.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What this package reads of {@code /proc/<pid>/stat} (Linux): the state, the process group and
 * the start, in clock ticks since boot (field 22, {@code starttime}), which no step of the wall
 * clock moves, unlike the start instants the JDK derives from it.
 *
 * @param state      R, S, Z (a zombie), X (dead)...
 * @param group      the process group's id
 * @param startTicks when the process started, in clock ticks since boot
 */
record ProcStat(char state, long group, long startTicks) {

    private static final Path PROC = Path.of("/proc");
    /** {@code starttime} is field 22, counted from 1; the fields after the name start at 3 (state). */
    private static final int START_TICKS_AFTER_NAME = 22 - 3;

    /** The stat of {@code pid}, if /proc has it (not Linux, or the process has just been reaped: none). */
    static Optional<ProcStat> of(long pid) {
        try {
            // any byte of the name decodes
            return Optional.of(parse(Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"),
                    StandardCharsets.ISO_8859_1)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses the text of a {@code /proc/<pid>/stat}: {@code pid (name) state ...}, where the name
     * (the program's, up to 15 bytes) may hold blanks and parentheses of its own, so the fields are
     * those after its last ')'.
     *
     * @throws IllegalArgumentException the text is no such line
     */
    static ProcStat parse(String stat) {
        int nameEnd = stat.lastIndexOf(')');
        if (nameEnd < 0 || nameEnd + 2 > stat.length()) {
            throw new IllegalArgumentException("no process name in parentheses: " + stat);
        }
        String[] fields = stat.substring(nameEnd + 2).split(" ", START_TICKS_AFTER_NAME + 2);
        if (fields.length <= START_TICKS_AFTER_NAME || fields[0].length() != 1) {
            throw new IllegalArgumentException("too few fields after the process name: " + stat);
        }
        try {
            return new ProcStat(fields[0].charAt(0), Long.parseLong(fields[2]),
                    Long.parseLong(fields[START_TICKS_AFTER_NAME].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number where the process group or start is: " + stat, e);
        }
    }

    /** Neither a zombie (dead, not yet reaped) nor dead. */
    boolean running() {
        return state != 'Z' && state != 'X';
    }
}
