package io.msf.config.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Version;

/**
 * Which description checks the {@code param.*} keys of a service configuration: that of the version
 * the configuration deploys. One edit may name the next version ({@code location}, {@code version})
 * and a parameter only that version has; the installed version, whose description is found first
 * (during a swap too, when both are installed), cannot tell whether the next one has it.
 *
 * <p>A bundle the deployer installed for a service carries the service and the configured location
 * in its own location ({@code msf.service:<name>#<generation>/<index>:<location>}, as the deploy
 * bundle writes it). Among the descriptions of the target PID, the one of the service's bundle from a
 * location the configuration names, of the version it asks for (if any), checks the parameters. If
 * the service's bundles describe the PID but none is that version, the version is not installed yet:
 * no description checks the parameters, as before the service's first install. A PID described by
 * no bundle of the service (a shared bundle's, another service's) is checked by the first description.
 */
final class DeployedVersion {

    private static final Pattern SERVICE_BUNDLE = Pattern.compile("msf\\.service:([^#]+)#\\d+/\\d+:(.*)");

    private DeployedVersion() {
    }

    /**
     * @param service the service's name ({@code msf.service~<name>})
     * @param values the service configuration's keys ({@code location}, {@code version})
     * @param described the descriptions of the PID the parameters go to, in the framework's order
     */
    static Optional<Description> of(String service, Map<String, Object> values, List<Description> described) {
        List<Description> ofService = described.stream().filter(d -> service != null && service.equals(serviceOf(d))).toList();
        if (ofService.isEmpty()) {
            return described.stream().findFirst();
        }
        List<String> locations = locations(values.get("location"));
        String version = values.get("version") == null ? "" : values.get("version").toString().trim();
        return ofService.stream()
                .filter(d -> locations.contains(configuredLocation(d)) && (version.isEmpty()
                        || sameVersion(version, d.bundleVersion())))
                .findFirst();
    }

    /**
     * Whether the service's bundles describe the PID but none is the version the configuration
     * deploys: its parameters wait for that version to be checked.
     */
    static boolean notInstalledYet(String service, Map<String, Object> values, List<Description> described) {
        return described.stream().anyMatch(d -> service != null && service.equals(serviceOf(d)))
                && of(service, values, described).isEmpty();
    }

    private static String serviceOf(Description description) {
        Matcher matcher = SERVICE_BUNDLE.matcher(description.bundleLocation());
        return matcher.matches() ? matcher.group(1) : null;
    }

    private static String configuredLocation(Description description) {
        Matcher matcher = SERVICE_BUNDLE.matcher(description.bundleLocation());
        return matcher.matches() ? matcher.group(2) : null;
    }

    /** The deployer's reading of the {@code location} key: a comma-separated list. */
    private static List<String> locations(Object value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The deployer's comparison: {@code 2.0.0-SNAPSHOT} is the bundle version {@code 2.0.0.SNAPSHOT}. */
    private static boolean sameVersion(String wanted, String actual) {
        try {
            return Version.parseVersion(wanted.replaceFirst("-", ".")).equals(Version.parseVersion(actual));
        } catch (IllegalArgumentException notOsgi) {
            return wanted.equals(actual);
        }
    }
}
