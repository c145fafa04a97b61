package io.msf.shell.internal.console;

import org.apache.felix.service.command.Job;
import org.apache.felix.service.command.JobListener;
import org.apache.felix.service.command.Result;

/**
 * The error status of the last statement a session ran, as a shell's {@code $?}. Gogo JLine's
 * commands (cat, grep, head, ...) print their failure and set an error status instead of throwing,
 * and Gogo's {@code execute} returns without it: only a job's result keeps it. A statement is a
 * job without a parent; the jobs that commands run inside it ({@code each}'s closure) do not count.
 * Follows a session's jobs as (part of) its one job listener.
 */
final class ErrorStatus implements JobListener {

    private volatile int last;

    @Override
    public void jobChanged(Job job, Job.Status previous, Job.Status current) {
        if (current == Job.Status.Done && job.parent() == null) {
            Result result = job.result();
            last = result == null ? 0 : result.error();
        }
    }

    /** Forgets the status of the statements before the next line. */
    void clear() {
        last = 0;
    }

    /** Whether the last statement ended with an error status. */
    boolean failed() {
        return last != 0;
    }
}
