package io.msf.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the launcher reads before the framework exists: the assembly folder, the data
 * folder and the properties of {@code etc/config.properties}, of which the {@code msf.*} launcher
 * keys are also handed to the framework (bundles may read them through
 * {@code BundleContext.getProperty}).
 *
 * <p>A system property overrides the file's key of the same name (so {@code MSF_JAVA_OPTS} can
 * change any of them); {@code msf.home} and {@code msf.data} are always the absolute paths the
 * launcher determined, and every value may refer to any of them with {@code ${name}}.
 *
 * @param home       the assembly folder ({@code msf.home})
 * @param data       the folder for the framework cache, logs, sockets and pid file ({@code msf.data})
 * @param properties the resolved framework properties, keys sorted
 * @param overridden the keys of the file whose value a system property gave, which an error
 *                   about the value names instead of the file
 */
record LauncherConfig(Path home, Path data, Map<String, String> properties, Set<String> overridden) {

    static final String HOME = "msf.home";
    static final String DATA = "msf.data";
    static final String CONFIG_FILE = "etc/config.properties";

    /** Where the bundles lie, one sub-folder per start level. */
    static final String BUNDLE_DIR = "msf.bundle.dir";
    /** Comma-separated service interface names that must all be registered before "ready". */
    static final String READY_SERVICES = "msf.ready.services";
    static final String READY_TIMEOUT_SECONDS = "msf.ready.timeout";
    static final String STOP_TIMEOUT_SECONDS = "msf.stop.timeout";
    static final String PID_FILE = "msf.pid.file";
    /** The pid file's name in the data folder, the only place bin/msf looks ({@link #pidFile}). */
    static final String PID_FILE_NAME = "msf.pid";
    /** The longest msf.ready.timeout and msf.stop.timeout: nine digits, as many as bin/msf reads of them. */
    static final long MAX_SECONDS = 999_999_999;
    /** true: the Gogo console is interactive on the launcher's terminal; false: headless. */
    static final String CONSOLE_LOCAL = ConsoleBundles.LOCAL;

    /** Properties all from the file (a warm spare's stand-in, tests). */
    LauncherConfig(Path home, Path data, Map<String, String> properties) {
        this(home, data, properties, Set.of());
    }

    /**
     * Reads {@code home/etc/config.properties}, applies the overrides of {@code system} and resolves
     * all references.
     *
     * @throws IOException              the file cannot be read
     * @throws IllegalArgumentException a value refers to an undefined name (the message names the key), or
     *     a line of the file is not UTF-8 or has a broken &#92;u escape (the message names the line)
     */
    static LauncherConfig load(Path home, Path data, Properties system) throws IOException {
        Path absoluteHome = home.toAbsolutePath().normalize();
        Path absoluteData = data.toAbsolutePath().normalize();
        Properties file = PropertiesFile.read(absoluteHome.resolve(CONFIG_FILE), CONFIG_FILE);
        Map<String, String> raw = new TreeMap<>();
        Set<String> overridden = new TreeSet<>();
        for (String key : file.stringPropertyNames()) {
            String value = system.getProperty(key);
            if (value != null) {
                overridden.add(key);
            }
            raw.put(key, value != null ? value : file.getProperty(key));
        }
        raw.put(HOME, absoluteHome.toString());
        raw.put(DATA, absoluteData.toString());
        try {
            return new LauncherConfig(absoluteHome, absoluteData,
                    new TreeMap<>(PropertySubstitution.resolveAll(raw, system::getProperty)), Set.copyOf(overridden));
        } catch (PropertySubstitution.Unresolvable e) {
            // a -D value's reference was reported as the file's, where the operator found none of it
            throw new IllegalArgumentException(source(overridden, e.key()) + ": " + e.getMessage(), e);
        }
    }

    Path bundleDir() {
        return Path.of(required(BUNDLE_DIR));
    }

    /**
     * The pid file, always {@code msf.data/msf.pid}: bin/msf's status, stop and start know the container by
     * it alone (they run before any container they could ask), so {@code msf.pid.file} may only name it. A
     * pid file elsewhere was honoured here while bin/msf said "not running" and stopped nothing.
     */
    Path pidFile() {
        Path fixed = data.resolve(PID_FILE_NAME);
        String value = properties.get(PID_FILE);
        if (value != null && !value.isBlank() && !Path.of(value).toAbsolutePath().normalize().equals(fixed)) {
            throw new IllegalArgumentException(source(PID_FILE) + ": " + PID_FILE + " must be ${" + DATA + "}/"
                    + PID_FILE_NAME + ", where bin/msf's status and stop look for the container, not '" + value + "'");
        }
        return fixed;
    }

    List<String> readyServices() {
        return Arrays.stream(required(READY_SERVICES).split(","))
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .toList();
    }

    /** {@code msf.console.local}: {@code true} or {@code false}, nothing else. */
    boolean consoleLocal() {
        String value = required(CONSOLE_LOCAL).trim();
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(source(CONSOLE_LOCAL) + ": " + CONSOLE_LOCAL + " must be true or false, not '" + value + "'");
    }

    Duration readyTimeout() {
        return seconds(READY_TIMEOUT_SECONDS);
    }

    Duration stopTimeout() {
        return seconds(STOP_TIMEOUT_SECONDS);
    }

    private Duration seconds(String key) {
        String value = required(key);
        long seconds;
        try {
            seconds = Long.parseLong(value.trim());
            if (seconds <= 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source(key) + ": " + key + " must be a positive number of seconds, not '" + value + "'");
        }
        if (seconds > MAX_SECONDS) {
            // past 292 years in nanoseconds, the readiness report and the stop failed with an ArithmeticException:
            // no ready line nor NOT READY, and a SIGTERM that stopped nothing
            throw new IllegalArgumentException(source(key) + ": " + key + " must be at most " + MAX_SECONDS
                    + " seconds (31 years), not '" + value + "'");
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * Where the value of {@code key} came from, for an error about it: a value given by
     * {@code -Dkey} (MSF_JAVA_OPTS) was reported as the file's, which says something else.
     */
    String source(String key) {
        return source(overridden, key);
    }

    private static String source(Set<String> overridden, String key) {
        return overridden.contains(key) ? "-D" + key + " (which overrides " + CONFIG_FILE + ")" : CONFIG_FILE;
    }

    /**
     * Where the values of {@code keys} came from, for an error about them together: the
     * {@code -D} of each that one gave, else the file.
     */
    String source(String... keys) {
        List<String> given = Arrays.stream(keys).filter(overridden::contains).map(key -> "-D" + key).toList();
        if (given.isEmpty()) {
            return CONFIG_FILE;
        }
        return String.join(", ", given) + " (which " + (given.size() == 1 ? "overrides " : "override ") + CONFIG_FILE
                + ")";
    }

    private String required(String key) {
        String value = properties.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(CONFIG_FILE + ": " + key + " is missing");
        }
        return value;
    }
}
