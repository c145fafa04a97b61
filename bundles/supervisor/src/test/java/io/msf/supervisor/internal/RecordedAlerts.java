package io.msf.supervisor.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The crash-loop alerts a process raised and cleared, as lines: {@code raised <name> <restarts> <exit code>}, {@code cleared <name>}. */
final class RecordedAlerts implements CrashLoopAlert {

    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();
    /** The window and the limit of each alert raised: {@code <milliseconds> <limit>}. */
    final List<String> windows = new CopyOnWriteArrayList<>();

    @Override
    public void raise(String process, int restarts, long windowMillis, RestartTracker.Limit limit, int exitCode,
            String message) {
        lines.add("raised " + process + " " + restarts + " " + exitCode);
        messages.add(message);
        windows.add(windowMillis + " " + limit);
    }

    @Override
    public void clear(String process, String message) {
        lines.add("cleared " + process);
        messages.add(message);
    }
}
