package io.msf.shell.internal.console;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.Job;
import org.apache.felix.service.command.Job.Status;
import org.apache.felix.service.command.JobListener;

/**
 * Bounds the nested commands that the console's running command lines hold, all clients together.
 *
 * <p>Gogo's runtime keeps every job a command line starts inside itself (each round of a loop: its
 * condition and its body; each closure a command runs; each command substitution) until that command
 * line ends, each with its pipe's streams and their buffers: about 50 KB, measured. A loop of a few
 * thousand rounds filled the container's heap, and {@code while { true } { }} ran the container out of
 * memory, which ends it ({@code -XX:+ExitOnOutOfMemoryError}), within two seconds. So a nested command
 * that would take the console past {@code maxNestedCommands} is refused before it starts: the loop that
 * starts it ends with that refusal, which its client is told, and what its command line held is freed
 * when that line ends. Every client shares the bound, so that the console as a whole holds no more.
 */
final class NestedCommands {

    private final int max;
    private final AtomicInteger held = new AtomicInteger();

    /** @param max nested commands the running command lines may hold together (at least 1) */
    NestedCommands(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("msf.console: maxNestedCommands: " + max + " is below 1");
        }
        this.max = max;
    }

    /** Nested commands the running command lines hold now. */
    int held() {
        return held.get();
    }

    /** A listener for one session ({@code CommandSession.setJobListener}); closed with the session. */
    Session session() {
        return new Session();
    }

    private boolean take() {
        int now;
        do {
            now = held.get();
            if (now >= max) {
                return false;
            }
        } while (!held.compareAndSet(now, now + 1));
        return true;
    }

    /** Counts one session's nested commands by the command line that holds them. */
    final class Session implements JobListener, AutoCloseable {

        /** By command line (top-level job): its nested commands, added to and taken away whole atomically. */
        private final Map<Job, Integer> byLine = new ConcurrentHashMap<>();
        private volatile boolean closed;

        /**
         * Called by Gogo on the thread that changes a job's status, a nested job's start on the thread that
         * starts it: what this throws ends that start, and so the loop or closure making it.
         */
        @Override
        public void jobChanged(Job job, Status previous, Status current) {
            Job line = lineOf(job);
            if (line == job) {
                if (current == Status.Done) {
                    release(byLine.remove(line));
                }
                return;
            }
            if (previous != Status.Created) {
                return; // a nested job's later changes: counted once, at its start
            }
            if (closed) {
                // its loops, interrupted, are on their way out: a count taken now would outlive the session
                throw new IllegalStateException("the console session has ended");
            }
            if (!take()) {
                throw new NestedCommandsExceededException(max);
            }
            byLine.merge(line, 1, Integer::sum);
            if (closed) {
                release(byLine.remove(line)); // closed meanwhile, after close() had taken this line's count
            }
        }

        /** The session ended: what its command lines still held (background jobs it ended) is freed. */
        @Override
        public void close() {
            closed = true;
            byLine.keySet().forEach(line -> release(byLine.remove(line)));
        }

        private void release(Integer count) {
            if (count != null) {
                held.addAndGet(-count);
            }
        }

        private Job lineOf(Job job) {
            Job line = job;
            while (line.parent() != null) {
                line = line.parent();
            }
            return line;
        }
    }

    /** The refusal of a nested command beyond the bound; its message is what the client is told. */
    static final class NestedCommandsExceededException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        NestedCommandsExceededException(int max) {
            super("command line stopped: the console's running command lines hold " + max + " nested commands "
                    + "(loop rounds, closures, command substitutions), the most msf.console maxNestedCommands allows; "
                    + "Gogo keeps each, about 50 KB, until its command line ends. Loop over fewer rounds per line, or "
                    + "raise maxNestedCommands in etc/msf.console.cfg (the heap must hold 50 KB for each)");
        }
    }
}
