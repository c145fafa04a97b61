package io.msf.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Child mode ({@code -Dmsf.parent.pid=<pid>}, set by the parent's supervisor): the container
 * stops when its parent process ends, however the parent ended. A parent killed with SIGKILL
 * cannot stop its children, so each child watches its parent instead, and no orphan container is
 * left running.
 *
 * <p>Two signs, whichever comes first: the parent's pid ends, or the pipe the parent holds on
 * this process's stdin reaches end-of-file. The pipe covers what the pid cannot: a dead parent
 * that nobody reaps stays a zombie, which still counts as alive, but its file descriptors are
 * closed the moment it dies. In child mode nothing else reads stdin (the console is headless).
 * The parent writes nothing on it, except to a warm spare the line that promotes it
 * ({@link WarmSpare}): each line read is handed on, at most {@value #MAX_LINE} characters of it.
 */
final class ParentWatch {

    static final String PARENT_PID = "msf.parent.pid";
    static final int MAX_LINE = 80;

    private ParentWatch() {
    }

    /**
     * Calls {@code stop} once the parent named by {@code msf.parent.pid} ends; nothing without
     * that property.
     *
     * @param stdin the pipe from the parent
     * @return false if the parent is gone already (or the value is not a pid): do not start
     */
    static boolean install(String parentPid, InputStream stdin, Runnable stop, PrintStream err) {
        return install(parentPid, stdin, stop, line -> { }, err);
    }

    /**
     * As {@link #install(String, InputStream, Runnable, PrintStream)}, and hands every line the
     * parent writes on the pipe to {@code lines}.
     */
    static boolean install(String parentPid, InputStream stdin, Runnable stop, Consumer<String> lines, PrintStream err) {
        if (parentPid == null || parentPid.isBlank()) {
            return true;
        }
        Optional<ProcessHandle> parent;
        try {
            parent = ProcessHandle.of(Long.parseLong(parentPid.trim())).filter(ProcessHandle::isAlive);
        } catch (NumberFormatException e) {
            err.println("msf: cannot start: " + PARENT_PID + " must be a process id, not '" + parentPid + "'");
            return false;
        }
        if (parent.isEmpty()) {
            err.println("msf: the parent process " + parentPid + " has ended already; not starting");
            return false;
        }
        Runnable once = new Once(() -> {
            err.println("msf: the parent process " + parentPid + " ended, stopping");
            new Thread(stop, "msf-parent-gone").start();
        });
        parent.get().onExit().thenRun(once);
        Thread pipeWatch = new Thread(() -> {
            readUntilEnd(stdin, lines);
            once.run();
        }, "msf-parent-pipe");
        pipeWatch.setDaemon(true);
        pipeWatch.start();
        return true;
    }

    private static void readUntilEnd(InputStream stdin, Consumer<String> lines) {
        StringBuilder line = new StringBuilder(MAX_LINE);
        try {
            for (int c = stdin.read(); c >= 0; c = stdin.read()) {
                if (c == '\n') {
                    lines.accept(line.toString());
                    line.setLength(0);
                } else if (line.length() < MAX_LINE) {
                    line.append((char) c);
                }
            }
        } catch (IOException e) {
            // a broken pipe: the parent is gone just the same
        }
    }
}
