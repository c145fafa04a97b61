package io.msf.supervisor.internal;

/** Told when a process is given up after a crash loop (the supervisor posts the EventAdmin event). */
@FunctionalInterface
interface CrashLoopAlert {

    /**
     * @param process      the process's name
     * @param restarts     restarts made within the window
     * @param windowMillis the window
     * @param exitCode     the exit code of the last run (-1: it could not be spawned)
     * @param message      a sentence for operators
     */
    void raise(String process, int restarts, long windowMillis, int exitCode, String message);
}
