package io.msf.supervisor.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run as a process group of its own, so that what it started can be found after it is gone.
 * Java's process API knows no groups, and a descendant of a run that ended is re-parented:
 * {@link ProcessHandle#descendants()} no longer reaches it, and sampling the descendants while the
 * run lives misses those started between two samples. A group keeps them all: on Linux a run (a
 * command, a child container, a warm spare) is launched through {@code setsid} (which makes it the
 * leader of a new session and group, its pid the group's id, then runs the program in its place),
 * and the group's members are read from {@code /proc}. Without {@code setsid} or {@code /proc} a
 * run starts as the program itself, and only its descendants while it lives are reached. A
 * descendant that calls {@code setsid} itself (a daemon detaching) leaves the group and is reached
 * by nothing: the docs ask for such programs to run in the foreground.
 *
 * <p>A member is one that started no earlier than the leader, as {@code /proc} counts it: in clock
 * ticks since boot ({@link ProcStat#startTicks}), which a step of the wall clock (NTP, an operator
 * setting the clock) does not move, where the JDK's start instants, and the run's launch read from
 * the clock, would move apart and drop members or keep strangers. Where the leader's ticks are not
 * known (it was gone before they could be read, or an earlier parent recorded no ticks) the start
 * instants are compared instead.
 */
final class ProcessGroup {

    private static final Path PROC = Path.of("/proc");
    private static final Path SETSID = findSetsid();
    private static final Duration START_PRECISION = Duration.ofSeconds(2);

    private final long id;
    /** The leader's start in clock ticks since boot, or -1: not known ({@link #started} is compared then). */
    private final long startTicks;
    private final Instant started;

    private ProcessGroup(long id, long startTicks, Instant started) {
        this.id = id;
        this.startTicks = startTicks;
        this.started = started;
    }

    /** Whether runs are launched in a group of their own here. */
    static boolean supported() {
        return SETSID != null;
    }

    /** {@code line} run as the leader of a new group ({@link #supported} only). */
    static List<String> launching(List<String> line) {
        List<String> launched = new ArrayList<>(line.size() + 2);
        launched.add(SETSID.toString());
        launched.add("--"); // a program whose path starts with '-' is not one of setsid's options
        launched.addAll(line);
        return launched;
    }

    /**
     * The group a run launched through {@link #launching} leads, its start read from {@code /proc}
     * now, once it is launched.
     *
     * @param launched when the run was launched, read from the clock before: the start where
     *                 {@code /proc} no longer has the run (a short one may be gone already)
     */
    static ProcessGroup ledBy(long leaderPid, Instant launched) {
        // the JDK's start instants count from a boot time /proc gives in whole seconds
        return new ProcessGroup(leaderPid, startTicksOf(leaderPid), launched.minus(START_PRECISION));
    }

    /**
     * The group a run recorded by an earlier parent leads, if it was launched through
     * {@link #launching}: there is no such group otherwise, as only a process can make a group of
     * its own pid.
     *
     * @param leaderStarted    the run's start as the JDK told it, as exact as its members' starts
     *                         (null: unknown; then {@code leaderStartTicks} must be known)
     * @param leaderStartTicks the run's start in clock ticks since boot, or -1: unknown
     */
    static ProcessGroup recorded(long leaderPid, Instant leaderStarted, long leaderStartTicks) {
        return new ProcessGroup(leaderPid, leaderStartTicks, leaderStarted);
    }

    /**
     * The members still running. Linux gives no new process the id of a group that has members, so
     * the id names this group while any of it is left; what started before the leader is left out
     * (an older process whose pid was reused as a group id cannot be ours). Another group under a
     * reused id would need the whole group gone and the pid handed out again, in the moments between
     * the end of the run (or its stop) and this call.
     */
    List<ProcessHandle> members() {
        List<ProcessHandle> members = new ArrayList<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .forEach(pid -> ProcStat.of(pid) // none if it has just ended
                            .filter(stat -> stat.group() == id)
                            .flatMap(stat -> ProcessHandle.of(pid).filter(process -> startedWithTheRun(stat, process)))
                            .filter(ProcessTree::running)
                            .ifPresent(members::add));
        } catch (IOException | RuntimeException e) {
            // /proc went away or cannot be listed: nothing more to find than the descendants
        }
        return members;
    }

    private boolean startedWithTheRun(ProcStat member, ProcessHandle process) {
        if (startTicks >= 0) {
            return member.startTicks() >= startTicks;
        }
        return started != null && process.info().startInstant().map(start -> !start.isBefore(started)).orElse(false);
    }

    /** The start of {@code pid} in clock ticks since boot, or -1 where {@code /proc} does not have it. */
    private static long startTicksOf(long pid) {
        return ProcStat.of(pid).map(ProcStat::startTicks).orElse(-1L);
    }

    private static Path findSetsid() {
        if (!Files.isDirectory(PROC.resolve("self"))) {
            return null;
        }
        for (String candidate : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            Path program = Path.of(candidate);
            if (Files.isRegularFile(program) && Files.isExecutable(program)) {
                return program;
            }
        }
        return null;
    }
}
