package io.msf.supervisor.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "msf supervised process",
        description = "A child process the container launches and watches (msf.process~<name>): a child msf"
                + " container or an external command, restarted by its policy with exponential backoff and"
                + " given up, with an msf/alert/crashloop event, after too many restarts within a window."
                + " A change stops the process and starts it again with the new settings.")
@interface ProcessConfiguration {

    @AttributeDefinition(name = "Name", required = false,
            description = "The process's name in proc:list and in file names (letters, digits, '.', '_', '-');"
                    + " empty = the configuration's name (the part after '~' in msf.process~<name>).")
    String name() default "";

    // No Metatype options for type and restart: they would be matched exactly, where the supervisor reads
    // these words in any case; ProcessCheck tells the config gate what it takes.
    @AttributeDefinition(name = "Type",
            description = "What to run, in any case: container (a child msf container: same assembly, own"
                    + " etc/deploy/data) or command (an external command).")
    String type() default "command";

    @AttributeDefinition(name = "Command", required = false,
            description = "command: the program (a path, or a name looked up on the PATH). container: the java"
                    + " executable; empty = the java running this container.")
    String command() default "";

    @AttributeDefinition(name = "Arguments", required = false,
            description = "command only: the program's arguments, separated by blanks; quote an argument"
                    + " holding blanks with '...' or \"...\". No shell is involved: use sh -c '...' for one.")
    String args() default "";

    @AttributeDefinition(name = "JVM options", required = false,
            description = "container only: the child JVM's options, separated by blanks (quotes as for args)."
                    + " The default favours a fast restart: C1 only, serial GC, no perf-data file (jcmd still works).")
    String jvmOptions() default "-Xms16m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData"
            + " -XX:+ExitOnOutOfMemoryError";

    @AttributeDefinition(name = "Profile", required = false,
            description = "container only: which of the assembly's bundles the child runs (msf.profile of"
                    + " etc/config.properties).",
            options = {
                @Option(value = "service", label = "service: hosts services; no local console or supervisor (keeps the monitor, on a free port)"),
                @Option(value = "full", label = "full: every bundle, as the parent")
            })
    String profile() default "service";

    @AttributeDefinition(name = "Keep the framework cache", required = false,
            description = "container only: true = a restart reuses the child's framework cache when nothing it was"
                    + " built from changed (assembly jars, the child's etc/ and deploy/ files, its settings); a"
                    + " change wipes it (msf.cache.keep). false = a fresh cache at every start.")
    boolean keepCache() default true;

    @AttributeDefinition(name = "Class data sharing", required = false,
            description = "container only: true = the child's first run records the classes it loaded until ready"
                    + " in an archive in its data folder, which later runs map instead of loading them (a third"
                    + " off a restart); renewed when the JDK or lib/ changes; none is recorded on Java 25 and later"
                    + " (a JDK defect). false = no archive.")
    boolean classDataSharing() default true;

    @AttributeDefinition(name = "Warm spare", required = false,
            description = "container only: true = once the child is ready, a second JVM of it boots up to the"
                    + " framework and its base bundles (msf.spare.level) and waits; when the child dies, that spare"
                    + " takes over and only starts the services' bundles: a restart costs their activation (under a"
                    + " second, bench/RESULTS.md) instead of a JVM boot. Costs one idle JVM per child.")
    boolean warmSpare() default false;

    @AttributeDefinition(name = "Configuration source", required = false,
            description = "container only: a folder (relative to the assembly folder msf.home) whose .cfg,"
                    + " .config and .json files seed the child's etc/ folder (data/children/<name>/etc) the first"
                    + " time it starts; afterwards that folder is the child's own. Empty = no files but the"
                    + " deploy watcher's.")
    String etcSource() default "";

    @AttributeDefinition(name = "Deploy source", required = false,
            description = "container only: a folder (relative to msf.home) whose bundle jars are copied into the"
                    + " child's deploy/ folder at each start when they differ: the services the child hosts."
                    + " Empty = none.")
    String deploySource() default "";

    @AttributeDefinition(name = "Working directory", required = false,
            description = "command only: the folder it runs in (relative to msf.home); empty ="
                    + " data/children/<name>.")
    String directory() default "";

    @AttributeDefinition(name = "Restart policy",
            description = "When an ended process is started again, in any case: always (after any end), on-failure"
                    + " (after a non-zero exit code or a signal) or never.")
    String restart() default "on-failure";

    @AttributeDefinition(name = "Backoff (ms)", min = "0", max = "" + RestartRules.MOST_BACKOFF_MILLIS, required = false,
            description = "The first restart after a crash follows at once; the second waits this long, and each"
                    + " further one twice as long as the one before, up to the largest backoff. A run that was up"
                    + " for at least the largest backoff counts as healthy: its crash is again restarted at once. A"
                    + " command is up from its start, a child container from its ready line.")
    long backoffInitialMillis() default 200;

    @AttributeDefinition(name = "Largest backoff (ms)", min = "0", max = "" + RestartRules.MOST_BACKOFF_MILLIS, required = false,
            description = "The longest delay between two restarts; at least the first backoff.")
    long backoffMaxMillis() default 30000;

    @AttributeDefinition(name = "Crash-loop limit", min = "0", max = "" + RestartRules.MOST_RESTARTS, required = false,
            description = "Restarts allowed within the window; one more failure and the process stays down"
                    + " (CRASH_LOOP), with an ERROR log line and an msf/alert/crashloop event. So does a child"
                    + " container that fails to start again after this many restarts in a row of runs that never"
                    + " became ready, however long each took. 0 = no limit.")
    int maxRestarts() default 5;

    @AttributeDefinition(name = "Crash-loop window (ms)", min = "1", max = "" + RestartRules.MOST_WINDOW_MILLIS, required = false,
            description = "The sliding window the restarts are counted in.")
    long windowMillis() default 60000;

    @AttributeDefinition(name = "Ready timeout (ms)", min = "1", max = "" + ProcessSpec.MOST_READY_MILLIS, required = false,
            description = "container only: how long a run may take to print its ready line. One not ready by"
                    + " then is stopped (SIGTERM, SIGKILL after the stop timeout) and counts as a failed start: the"
                    + " restart policy and backoff follow, and after the crash-loop limit of failed starts in a"
                    + " row, however long each took, it stays down (CRASH_LOOP).")
    long readyTimeoutMillis() default 120000;

    @AttributeDefinition(name = "Stop timeout (ms)", min = "0", max = "" + ProcessSpec.MOST_STOP_MILLIS, required = false,
            description = "How long a stop waits after SIGTERM before it kills the process (and its process"
                    + " tree) with SIGKILL.")
    long stopTimeoutMillis() default 10000;

    @AttributeDefinition(name = "Enabled", required = false,
            description = "false: configured and listed, but not started until proc:start.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Log file size (bytes)", min = "16384", max = "" + ProcessSpec.MOST_LOG_BYTES, required = false,
            description = "Largest size of data/log/proc-<name>.log, which receives the process's stdout and"
                    + " stderr, before it is rotated.")
    long logMaxBytes() default 1048576;

    @AttributeDefinition(name = "Log files kept", min = "1", max = "" + RotatingLog.MOST_FILES, required = false,
            description = "How many log files of the process are kept, the current one included.")
    int logMaxFiles() default 3;

    @AttributeDefinition(name = "Parent agent socket", required = false,
            description = "The agent socket the process is told to join (relative to the data folder msf.data):"
                    + " -Dmsf.agent.parent=<path> for a child container, MSF_AGENT_SOCKET for a command. Not empty.")
    String agentSocket() default "agent.sock";
}
