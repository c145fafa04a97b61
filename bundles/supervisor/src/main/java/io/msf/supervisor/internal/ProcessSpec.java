package io.msf.supervisor.internal;

import io.msf.settings.ConfigValues;
import io.msf.supervisor.api.ProcessType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One {@code msf.process~<name>} configuration, checked and with its paths resolved: what to run,
 * how to restart it and how to keep its output.
 *
 * @param name          the process's name, safe in file names
 * @param type          child container or command
 * @param command       the program (command), or the java executable (container; never empty here)
 * @param args          the program's arguments (command)
 * @param jvmOptions    the child JVM's options (container)
 * @param profile       the child's bundle profile, {@code service} or {@code full} (container)
 * @param keepCache     whether the child reuses its framework cache when nothing changed (container)
 * @param classDataSharing whether the child records and maps a class-data-sharing archive (container)
 * @param warmSpare     whether a booted spare JVM waits to take over when the child dies (container)
 * @param etcSource     seeds the child's etc/ on its first start (container), or null
 * @param deploySource  bundle jars copied into the child's deploy/ at each start (container), or null
 * @param directory     the working directory (command), or null for the process's own folder
 * @param rules         restart policy, backoff and crash-loop limit
 * @param stopTimeoutMillis how long a stop waits after SIGTERM before it kills
 * @param readyTimeoutMillis how long a run that reports ready (a container's) may take to be so before it is stopped
 * @param enabled       whether it starts as soon as it is configured
 * @param logMaxBytes   size of the output log before it is rotated
 * @param logMaxFiles   output log files kept, the current one included
 * @param agentSocket   the parent's agent socket the process is told about
 */
record ProcessSpec(String name, ProcessType type, String command, List<String> args, List<String> jvmOptions,
        String profile, boolean keepCache, boolean classDataSharing, boolean warmSpare, Path etcSource,
        Path deploySource, Path directory, RestartRules rules, long stopTimeoutMillis, long readyTimeoutMillis,
        boolean enabled, long logMaxBytes, int logMaxFiles, Path agentSocket) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final List<String> PROFILES = List.of("service", "full");

    /**
     * Checks a configuration.
     *
     * @param configName the part after {@code ~} of the configuration's PID (the default name)
     * @param home       the assembly folder ({@code msf.home}): base of relative folders
     * @param data       the data folder ({@code msf.data}): base of the agent socket
     * @param java       the java executable of this container, for a container without {@code command}
     * @throws IllegalArgumentException what is wrong, naming the key
     */
    static ProcessSpec parse(String configName, ProcessConfiguration configured, Path home, Path data, Path java) {
        ProcessConfiguration config = ConfigValues.naming(ProcessConfiguration.class, configured);
        String name = config.name().isBlank() ? configName : config.name().trim();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' is not a valid process name (1-64 letters,"
                    + " digits, '.', '_', '-', starting with a letter or digit)");
        }
        ProcessType type = type(config.type());
        String command = config.command().trim();
        if (type == ProcessType.COMMAND && command.isEmpty()) {
            throw new IllegalArgumentException("command: missing; a process of type command needs the program to run");
        }
        if (type == ProcessType.CONTAINER && command.isEmpty()) {
            command = java.toString();
        }
        String profile = config.profile().trim();
        if (!PROFILES.contains(profile)) {
            throw new IllegalArgumentException("profile: '" + config.profile() + "' is not service or full");
        }
        if (type == ProcessType.COMMAND && config.warmSpare()) {
            throw new IllegalArgumentException("warmSpare: only a process of type container can have a warm spare");
        }
        RestartRules rules = new RestartRules(RestartPolicy.parse(config.restart()), config.backoffInitialMillis(),
                config.backoffMaxMillis(), config.maxRestarts(), config.windowMillis());
        // Metatype's bounds, which the config gate applies, do not reach a change made through Config Admin;
        // each wrong on its own: told by its own key, so that the gate points at its line
        if (config.stopTimeoutMillis() < 0) {
            throw new IllegalArgumentException("stopTimeoutMillis: " + config.stopTimeoutMillis() + " is negative");
        }
        // a stop waits for this plus a margin, and the supervisor's own stop for the longest of them
        atMost("stopTimeoutMillis", config.stopTimeoutMillis(), MOST_STOP_MILLIS);
        if (config.readyTimeoutMillis() < 1) {
            throw new IllegalArgumentException("readyTimeoutMillis: " + config.readyTimeoutMillis() + " is under 1 (a"
                    + " child container not ready within it is stopped; 0 would stop every run at once)");
        }
        atMost("readyTimeoutMillis", config.readyTimeoutMillis(), MOST_READY_MILLIS);
        if (config.logMaxBytes() < 16384) {
            throw new IllegalArgumentException("logMaxBytes: " + config.logMaxBytes() + " is under 16384");
        }
        atMost("logMaxBytes", config.logMaxBytes(), MOST_LOG_BYTES);
        if (config.logMaxFiles() < 1) {
            throw new IllegalArgumentException("logMaxFiles: " + config.logMaxFiles() + " is under 1");
        }
        // the rotation deletes the files a larger count left only up to this number
        atMost("logMaxFiles", config.logMaxFiles(), RotatingLog.MOST_FILES);
        return new ProcessSpec(name, type, command, CommandLineWords.split("args", config.args()),
                CommandLineWords.split("jvmOptions", config.jvmOptions()), profile, config.keepCache(),
                config.classDataSharing(), config.warmSpare(),
                folder(home, "etcSource", config.etcSource()),
                folder(home, "deploySource", config.deploySource()), folder(home, "directory", config.directory()), rules,
                config.stopTimeoutMillis(), config.readyTimeoutMillis(), config.enabled(), config.logMaxBytes(),
                config.logMaxFiles(),
                agentSocket(data, config.agentSocket()));
    }

    // the bounds ProcessConfiguration's Metatype gives, and parse checks again
    /** The most {@code stopTimeoutMillis} may be. */
    static final long MOST_STOP_MILLIS = 600_000;
    /** The most {@code readyTimeoutMillis} may be. */
    static final long MOST_READY_MILLIS = 3_600_000;
    /** The most {@code logMaxBytes} may be, 1 GiB. */
    static final long MOST_LOG_BYTES = 1L << 30;

    /** Refuses {@code value} above Metatype's {@code max} of {@code key}, naming the key. */
    static void atMost(String key, long value, long max) {
        if (value > max) {
            throw new IllegalArgumentException(key + ": " + value + " is over " + max);
        }
    }

    private static ProcessType type(String value) {
        try {
            return ProcessType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("type: '" + value + "' is not container or command", e);
        }
    }

    private static Path folder(Path home, String key, String value) {
        return value.isBlank() ? null : path(home, key, value);
    }

    /**
     * Empty, it named the data folder itself, which no agent listens on: a child container's link to its
     * parent failed for as long as it ran.
     */
    private static Path agentSocket(Path data, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("agentSocket: empty; it names the agent socket the process joins,"
                    + " relative to the data folder (agent.sock, the default, is this container's)");
        }
        return path(data, "agentSocket", value);
    }

    /** {@code value} resolved against {@code base}; one no path can be (a NUL character) refused naming {@code key}. */
    private static Path path(Path base, String key, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(key + ": holds a NUL character (\\u0000), which no path can: "
                    + CommandLineWords.nulsShown(value.trim()));
        }
        try {
            return base.resolve(value.trim()).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(key + ": '" + value.trim() + "' is not a valid path: " + e.getReason(), e);
        }
    }
}
