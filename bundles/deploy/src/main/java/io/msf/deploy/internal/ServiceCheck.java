package io.msf.deploy.internal;

import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of an {@code msf.service~<name>} configuration that the config gate makes before it
 * applies it (named by this bundle's {@code Msf-Config-Check} header): those of
 * {@link ServiceSpecs#read}, which Metatype cannot say (a location that names no bundle, such as
 * {@code location =}; a service name that is no file-name part or topic level). Refused by the
 * deployer alone, such a file replaced the last good configuration in Config Admin: the running
 * version served on until the next restart, after which nothing of the service ran.
 */
public final class ServiceCheck implements BiFunction<String, Map<String, Object>, Map<String, String>> {

    /** {@link ServiceSpecs}' messages that name one key: {@code "key '<key>': <why>"}. */
    private static final Pattern ONE_KEY = Pattern.compile("key '([^']+)': (.*)", Pattern.DOTALL);

    @Override
    public Map<String, String> apply(String pid, Map<String, Object> values) {
        String name = ServiceSpecs.nameOf(pid);
        if (name == null) {
            return Map.of(); // the factory PID alone: no service of its own
        }
        try {
            ServiceSpecs.read(name, values);
            return Map.of();
        } catch (IllegalArgumentException e) {
            Matcher oneKey = ONE_KEY.matcher(e.getMessage());
            // not one key's: the name, which comes from the file's name
            return oneKey.matches() ? Map.of(oneKey.group(1), oneKey.group(2)) : Map.of("", e.getMessage());
        }
    }
}
