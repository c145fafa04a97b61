package io.msf.supervisor.api;

/** Where a supervised process is in its life. */
public enum ProcessState {
    /** Not running, and not to be restarted: never started ({@code enabled=false}) or stopped on request. */
    STOPPED,
    /** Spawned; a child container has not yet reported ready (an external command is RUNNING at once). */
    STARTING,
    /** Alive (and, for a child container, ready). */
    RUNNING,
    /** Asked to end (SIGTERM); killed if it is still alive after its stop timeout. */
    STOPPING,
    /**
     * Ended unexpectedly; waiting out its backoff delay before the restart, and for what its last run
     * left running to end.
     */
    BACKOFF,
    /** Ended, and its restart policy does not restart it (never, or on-failure after exit code 0). */
    EXITED,
    /** Restarted too often within the window: stays down until started by hand; an alert was raised. */
    CRASH_LOOP
}
