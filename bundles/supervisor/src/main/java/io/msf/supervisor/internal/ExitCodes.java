package io.msf.supervisor.internal;

/**
 * How an exit code reads to an operator. A Java {@link Process} that died of a signal reports
 * 128 + the signal's number (as a shell does): 137 alone leaves the reader to do the sum, so the
 * signal is named beside it. Only the numbers POSIX fixes on every Unix are named (SIGBUS, SIGUSR1
 * and others differ between Linux and macOS); any other signal is given by its number.
 */
final class ExitCodes {

    private static final int SIGNAL_BASE = 128;
    /** Linux has 64 signals (real-time ones included); above 128 + 64 it is a plain exit code. */
    private static final int MAX_SIGNAL = 64;
    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        null, "SIGFPE", "SIGKILL", null, "SIGSEGV", null, "SIGPIPE", "SIGALRM", "SIGTERM"};

    private ExitCodes() {
    }

    /** The signal a code stands for ({@code SIGKILL}, {@code signal 40}), or "" for an exit code. */
    static String signal(int exitCode) {
        int signal = exitCode - SIGNAL_BASE;
        if (signal < 1 || signal > MAX_SIGNAL) {
            return "";
        }
        return signal < NAMES.length && NAMES[signal] != null ? NAMES[signal] : "signal " + signal;
    }

    /** {@code exit code 3}, or {@code exit code 137 (SIGKILL)}: for log lines and messages. */
    static String describe(int exitCode) {
        String signal = signal(exitCode);
        return "exit code " + exitCode + (signal.isEmpty() ? "" : " (" + signal + ")");
    }

    /** {@code 3}, or {@code 137 SIGKILL}: for a table cell. */
    static String cell(int exitCode) {
        String signal = signal(exitCode);
        return exitCode + (signal.isEmpty() ? "" : " " + signal);
    }
}
