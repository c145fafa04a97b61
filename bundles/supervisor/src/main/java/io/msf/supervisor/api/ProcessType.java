package io.msf.supervisor.api;

/** What a supervised process runs. */
public enum ProcessType {
    /** A child msf container: the same assembly with its own etc/, deploy/ and data/ folders. */
    CONTAINER,
    /** Any program, started with its arguments. */
    COMMAND
}
