package io.msf.deploy.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a service configuration ({@code msf.service~<name>}) into a {@link ServiceSpec}. The config
 * gate has checked files against Metatype already; this also guards configurations made through
 * Config Admin directly, and a {@code .cfg} file's values arrive as text.
 */
final class ServiceSpecs {

    static final String FACTORY_PID = "msf.service";
    static final String PARAM_PREFIX = "param.";
    static final int DEFAULT_START_LEVEL = 5;
    static final long DEFAULT_HEALTH_TIMEOUT_MILLIS = 10_000;
    static final long DEFAULT_DRAIN_TIMEOUT_MILLIS = 5_000;

    /** A name is a file-name part and a topic level: no separators, no wildcards. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /** What {@link #NAME} allows, for messages. */
    static final String NAME_RULE = "1-64 letters, digits, '_', '.' or '-', starting with a letter or digit";

    private ServiceSpecs() {
    }

    /** The service name of a configuration PID {@code msf.service~<name>}, or null if it is not one. */
    static String nameOf(String configurationPid) {
        String prefix = FACTORY_PID + "~";
        return configurationPid != null && configurationPid.startsWith(prefix)
                ? configurationPid.substring(prefix.length()) : null;
    }

    static void checkName(String name) {
        if (!isName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid service name: " + NAME_RULE);
        }
    }

    static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * @throws IllegalArgumentException naming the key whose value is wrong
     */
    static ServiceSpec read(String name, Map<String, ?> properties) {
        checkName(name);
        List<String> locations = splitLocations(text(properties, "location", ""));
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("key 'location': " + (properties.containsKey("location") ? "empty"
                    : "missing") + "; name the service's bundle(s)");
        }
        String pid = text(properties, "pid", "");
        Map<String, Object> params = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(PARAM_PREFIX) && key.length() > PARAM_PREFIX.length()) {
                params.put(key.substring(PARAM_PREFIX.length()), value);
            }
        });
        return new ServiceSpec(name, locations, text(properties, "version", ""),
                (int) number(properties, "startLevel", DEFAULT_START_LEVEL, 1, 100),
                bool(properties, "enabled", true), pid.isEmpty() ? defaultPid(name) : pid,
                Duration.ofMillis(number(properties, "healthTimeoutMillis", DEFAULT_HEALTH_TIMEOUT_MILLIS, 1, 600_000)),
                Duration.ofMillis(number(properties, "drainTimeoutMillis", DEFAULT_DRAIN_TIMEOUT_MILLIS, 0, 600_000)),
                params);
    }

    /** {@code mvn:g/a/1.0/jar} with another version; other locations as they are. */
    static String withMavenVersion(String location, String version) {
        if (!location.startsWith("mvn:")) {
            return location;
        }
        String[] parts = location.split("/", -1);
        if (parts.length < 3) {
            return location;
        }
        parts[2] = version;
        return String.join("/", parts);
    }

    static String defaultPid(String name) {
        return FACTORY_PID + "." + name;
    }

    static List<String> splitLocations(String value) {
        List<String> locations = new ArrayList<>();
        Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(locations::add);
        return locations;
    }

    private static String text(Map<String, ?> properties, String key, String fallback) {
        Object value = properties.get(key);
        if (value instanceof String[] array) {
            return String.join(",", array);
        }
        if (value instanceof Iterable<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(part -> parts.add(String.valueOf(part)));
            return String.join(",", parts);
        }
        return value == null ? fallback : value.toString().trim();
    }

    private static long number(Map<String, ?> properties, String key, long fallback, long min, long max) {
        Object value = properties.get(key);
        long number;
        if (value == null) {
            return fallback;
        } else if (value instanceof Number n) {
            number = n.longValue();
        } else {
            try {
                number = Long.parseLong(value.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("key '" + key + "': '" + value + "' is not a whole number");
            }
        }
        if (number < min || number > max) {
            throw new IllegalArgumentException("key '" + key + "': " + number + " is not between " + min + " and "
                    + max);
        }
        return number;
    }

    private static boolean bool(Map<String, ?> properties, String key, boolean fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("key '" + key + "': '" + value + "' is not true or false");
    }
}
