package io.msf.supervisor.internal;

/**
 * Told when a process is given up after a crash loop, and when it leaves it (the supervisor posts the
 * EventAdmin events): an alert that is raised and never cleared stays open for good with whoever
 * follows the alerts, a pager say, while msf:health has long cleared it.
 */
interface CrashLoopAlert {

    /**
     * @param process      the process's name
     * @param restarts     the restarts that reached the limit: within the window, or in a row after runs
     *                     that never became ready
     * @param windowMillis the process's window: the one they were counted in, unless the limit is the
     *                     failed starts in a row, which count whatever their spacing
     * @param limit        the limit reached
     * @param exitCode     the exit code of the last run (-1: it could not be spawned)
     * @param message      a sentence for operators
     */
    void raise(String process, int restarts, long windowMillis, RestartTracker.Limit limit, int exitCode,
            String message);

    /**
     * The process left the crash loop it was given up after.
     *
     * @param process the process's name, as when the alert was raised
     * @param message a sentence for operators: why
     */
    void clear(String process, String message);
}
