package io.msf.supervisor.internal;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/** The crash-loop alerts a process raised and cleared, as lines: {@code raised <name> <restarts> <exit code>}, {@code cleared <name>}. */
final class RecordedAlerts implements CrashLoopAlert {

    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();
    /** The window of each alert raised, in milliseconds, or {@code none}. */
    final List<String> windows = new CopyOnWriteArrayList<>();

    @Override
    public void raise(String process, int restarts, OptionalLong windowMillis, int exitCode, String message) {
        lines.add("raised " + process + " " + restarts + " " + exitCode);
        messages.add(message);
        windows.add(windowMillis.isPresent() ? String.valueOf(windowMillis.getAsLong()) : "none");
    }

    @Override
    public void clear(String process, String message) {
        lines.add("cleared " + process);
        messages.add(message);
    }
}
