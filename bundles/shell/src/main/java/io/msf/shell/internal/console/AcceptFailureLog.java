package io.msf.shell.internal.console;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.osgi.service.log.Logger;

/**
 * The log lines of a console that cannot accept its clients (accept(2) fails: the process is out of file
 * descriptors, say), bounded as the network service bounds its servers' ({@code AcceptFailureHandler}):
 * the acceptor tries again every second for as long as it lasts, and an ERROR line each time filled the
 * log with the same line. The first failure is an ERROR line; those in the minute after it are counted
 * (DEBUG lines), and one ERROR line at the end of each minute, or at the first client accepted again,
 * says how many there were and the last of them; so does the acceptor's end, when the console closes
 * within such a minute. A minute with none ends the episode.
 *
 * <p>Used by the acceptor's thread alone: it needs no lock, nor a timer of its own, as a failure that
 * lasts comes back every second and a client accepted ends it (accept fails only with a client waiting).
 */
final class AcceptFailureLog {

    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** As the log lines show it ({@link SocketFiles#shown}). */
    private final String socket;
    private final Logger log;
    private final LongSupplier nanoTime;
    /** Whether a failure was told in full and its minute is running. */
    private boolean reporting;
    private long windowStart;
    private long counted;
    private String last;

    /** @param nanoTime the clock the minutes are measured with ({@link System#nanoTime} but in tests) */
    AcceptFailureLog(Path socket, Logger log, LongSupplier nanoTime) {
        this.socket = SocketFiles.shown(socket);
        this.log = log;
        this.nanoTime = nanoTime;
    }

    /** Accepting a client failed with {@code problem}. */
    void failed(String problem) {
        long now = nanoTime.getAsLong();
        if (reporting && now - windowStart < WINDOW_NANOS) {
            counted++;
            last = problem;
            log.debug("console {}: accepting a client failed: {} ({} such failures this minute past the first)",
                    socket, problem, counted);
            return;
        }
        if (reporting && counted > 0) {
            // The minute went by with failures: the count, and the next minute counted after it.
            tellCounted("in the last minute");
            windowStart = now;
            counted = 1;
            last = problem;
            return;
        }
        log.error("console {}: accepting a client failed: {}; it is tried again every second, the next failures"
                + " counted and told once a minute", socket, problem);
        reporting = true;
        windowStart = now;
        counted = 0;
    }

    /** A client was accepted: the failures counted since the last line are told, and the episode ends. */
    void accepted() {
        accepted("before a client was accepted again");
    }

    /**
     * The acceptor stops (the console closed, reconfigured or its socket lost): the failures counted since
     * the last line are told, which neither the minute's end nor a client would tell any more.
     */
    void stopped() {
        accepted("before the console stopped accepting clients");
    }

    private void accepted(String when) {
        if (!reporting) {
            return;
        }
        if (counted > 0) {
            tellCounted(when);
        }
        reporting = false;
        counted = 0;
    }

    private void tellCounted(String when) {
        log.error("console {}: accepting a client failed {} more time(s) {}, the last: {}", socket, counted, when,
                last);
    }
}
