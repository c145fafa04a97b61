package io.msf.supervisor.api;

/**
 * One supervised process at one moment, as {@code proc:list} shows it.
 *
 * @param name          the process's name (the part after {@code ~} in {@code msf.process~<name>})
 * @param type          child container or external command
 * @param state         where it is in its life
 * @param pid           the operating-system process id while it is alive, else -1
 * @param uptimeMillis  milliseconds since it was spawned while it is alive, else 0
 * @param restarts      restarts made by the restart policy since the process was configured
 * @param lastExitCode  the exit code of its last run (128+signal when killed), or -1 when it has
 *                      not ended yet or could not be spawned
 * @param rssBytes      resident memory of the process and its descendants, or -1 if unknown
 * @param cpuMillis     CPU time of the process and its live descendants, or -1 if unknown
 * @param heapUsedBytes Java heap in use of a child container (from its status file), or -1 if
 *                      unknown (external commands, or a container that has not reported yet)
 * @param lastError     why it last failed (spawn failure, crash loop), or the empty string; cleared
 *                      once a later run has been up as long as the backoff's reset period
 *                      ({@code backoffMaxMillis}): a command since its start, a child container
 *                      since its ready line
 * @param sparePid      the process id of the child container's warm spare waiting to take over
 *                      (key {@code warmSpare}), or -1 if none waits
 */
public record ProcessInfo(String name, ProcessType type, ProcessState state, long pid, long uptimeMillis,
        int restarts, int lastExitCode, long rssBytes, long cpuMillis, long heapUsedBytes, String lastError,
        long sparePid) {

    /** A process without a warm spare (the 1.0 form). */
    public ProcessInfo(String name, ProcessType type, ProcessState state, long pid, long uptimeMillis, int restarts,
            int lastExitCode, long rssBytes, long cpuMillis, long heapUsedBytes, String lastError) {
        this(name, type, state, pid, uptimeMillis, restarts, lastExitCode, rssBytes, cpuMillis, heapUsedBytes,
                lastError, -1);
    }
}
