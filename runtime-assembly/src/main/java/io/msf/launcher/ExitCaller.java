package io.msf.launcher;

import java.util.Map;
import java.util.Optional;

/**
 * Who called {@code System.exit}: any bundle's code may, and the JVM then stops the container through
 * the launcher's shutdown hook, which said nothing of why. The calling thread waits inside
 * {@code Runtime.exit} while the hooks run, so its stack tells the hook who it was and from where.
 */
final class ExitCaller {

    /** Enough of the caller's stack to find the bundle's code under reflection and proxy frames. */
    private static final int FRAMES_SHOWN = 12;
    /** The launcher's own exit, once the framework has stopped or could not start. */
    private static final String LAUNCHER_MAIN = Main.class.getName();

    private ExitCaller() {
    }

    /**
     * Why the JVM shuts down: the thread in {@code Runtime.exit} and the frames it was called from, as a
     * stack trace prints them, or a signal if no thread is there; empty if the launcher itself ends the
     * JVM (once the framework has stopped, with its own account of why).
     */
    static Optional<String> why(Map<Thread, StackTraceElement[]> stacks) {
        for (Map.Entry<Thread, StackTraceElement[]> entry : stacks.entrySet()) {
            StackTraceElement[] stack = entry.getValue();
            for (int i = 0; i < stack.length; i++) {
                if (!is(stack[i], "java.lang.Runtime", "exit")) {
                    continue;
                }
                int caller = i + 1;
                if (caller < stack.length && is(stack[caller], "java.lang.System", "exit")) {
                    caller++;
                }
                if (caller < stack.length && stack[caller].getClassName().equals(LAUNCHER_MAIN)) {
                    return Optional.empty();
                }
                return Optional.of("System.exit called by thread '" + entry.getKey().getName() + "'"
                        + frames(stack, caller));
            }
        }
        return Optional.of("no thread called System.exit (a signal other than SIGTERM and SIGINT, SIGHUP say)");
    }

    private static boolean is(StackTraceElement frame, String className, String method) {
        return frame.getClassName().equals(className) && frame.getMethodName().equals(method);
    }

    private static String frames(StackTraceElement[] stack, int from) {
        StringBuilder text = new StringBuilder();
        int to = Math.min(stack.length, from + FRAMES_SHOWN);
        for (int i = from; i < to; i++) {
            text.append(System.lineSeparator()).append("\tat ").append(stack[i]);
        }
        if (to < stack.length) {
            text.append(System.lineSeparator()).append("\t... ").append(stack.length - to).append(" more");
        }
        return text.toString();
    }
}
