package io.msf.shell.internal.console;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.Job;
import org.apache.felix.service.command.Job.Status;
import org.apache.felix.service.command.JobListener;

/**
 * Frees the nested commands of the console's command lines as they end, and bounds those under way, all
 * clients together.
 *
 * <p>Gogo's runtime keeps every job a command line starts inside itself (each round of a loop: its condition
 * and each statement of its body; each closure call; each command substitution) until that command line ends,
 * each with its pipe's streams and their buffers: about 50 KB, measured. A loop of a few thousand rounds filled
 * the container's heap, and {@code while { true } { }} ran the container out of memory, which ends it
 * ({@code -XX:+ExitOnOutOfMemoryError}), within two seconds. So each nested job that is done is taken out of
 * Gogo's list ({@link GogoJobs#forgetDone}), and a loop runs in the memory of one round however long it runs.
 *
 * <p>What is under way stays: a closure calling itself ({@code f = { f } ; f}) holds a nested job, with two
 * threads, per level. A nested command that would take the console past {@code maxNestedCommands} under way is
 * refused before it starts: what starts it ends with that refusal, which its client is told. (Were Gogo to keep
 * its jobs otherwise than {@link GogoJobs} reads them, the rounds of a loop would count until their line ends,
 * and a long loop would be refused in the same way instead of filling the heap.)
 */
final class NestedCommands {

    private volatile int max;
    private final AtomicInteger held = new AtomicInteger();

    /** @param max nested commands the running command lines may have under way together (at least 1) */
    NestedCommands(int max) {
        max(max);
    }

    /** A new bound, for the nested commands started from now on; those under way go on. */
    void max(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("msf.console: maxNestedCommands: " + max + " is below 1");
        }
        this.max = max;
    }

    int max() {
        return max;
    }

    /** Nested commands under way (or kept by Gogo) now. */
    int held() {
        return held.get();
    }

    /** A listener for one session ({@link Session#beside}); closed with the session. */
    Session session() {
        return new Session();
    }

    /** The bound if one more is refused, else 0. */
    private int take() {
        int bound = max;
        int now;
        do {
            now = held.get();
            if (now >= bound) {
                return bound;
            }
        } while (!held.compareAndSet(now, now + 1));
        return 0;
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
                    release(line);
                }
                return;
            }
            if (current == Status.Done) {
                if (GogoJobs.forgetDone(job)) {
                    forgotten(line); // no longer kept: it no longer counts
                }
                return;
            }
            if (previous != Status.Created) {
                return; // a nested job's other changes: counted once, at its start
            }
            if (closed) {
                // its loops, interrupted, are on their way out: a count taken now would outlive the session
                throw new IllegalStateException("the console session has ended");
            }
            int refusedAt = take();
            if (refusedAt != 0) {
                throw new NestedCommandsExceededException(refusedAt);
            }
            byLine.merge(line, 1, Integer::sum);
            if (closed) {
                release(line); // closed meanwhile, after close() had taken this line's count
            }
        }

        /**
         * The session's one job listener ({@code CommandSession.setJobListener}): {@code other} (another
         * listener the session needs, or null), then this, whose refusal must come last.
         */
        Beside beside(JobListener other) {
            return new Beside(other, this);
        }

        /** One of the line's nested commands is done and forgotten, unless the line's count was released whole. */
        private void forgotten(Job line) {
            byLine.computeIfPresent(line, (l, count) -> {
                held.decrementAndGet();
                return count == 1 ? null : count - 1;
            });
        }

        /**
         * The session ended: what its command lines still held (background jobs it ended) is freed before this
         * returns, that of a line ending at the same moment included. A nested command starting at that moment,
         * counted but not yet under its line, gives its count back itself as it finds the session closed.
         */
        @Override
        public void close() {
            closed = true;
            byLine.keySet().forEach(this::release);
        }

        /**
         * Gives back the line's count, once. Taken from the map and from the bound in one step: were the bound
         * freed after the entry left the map, a close() meanwhile would find neither and return with the bound
         * still held.
         */
        private void release(Job line) {
            byLine.computeIfPresent(line, (l, count) -> {
                held.addAndGet(-count);
                return null;
            });
        }

        private Job lineOf(Job job) {
            Job line = job;
            while (line.parent() != null) {
                line = line.parent();
            }
            return line;
        }
    }

    /** Another listener of a session, then its count of nested commands. */
    record Beside(JobListener other, Session counted) implements JobListener {

        @Override
        public void jobChanged(Job job, Status previous, Status current) {
            if (other != null) {
                other.jobChanged(job, previous, current);
            }
            counted.jobChanged(job, previous, current);
        }
    }

    /** The refusal of a nested command beyond the bound; its message is what the client is told. */
    static final class NestedCommandsExceededException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        NestedCommandsExceededException(int max) {
            super("command line stopped: the console's command lines have " + max + " nested commands under way "
                    + "(closures calling closures, loops in loops, command substitutions), the most msf.console "
                    + "maxNestedCommands allows; each holds about 50 KB and a thread or two until it ends. Nest less "
                    + "deeply, or raise maxNestedCommands in etc/msf.console.cfg (the heap must hold 50 KB for each)");
        }

        /** The message alone: Gogo JLine's console prints a failed line's exception as this says it. */
        @Override
        public String toString() {
            return getMessage();
        }
    }
}
