package io.msf.deploy.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One deployed service as {@code msf:list} shows it.
 *
 * @param name the service's name, {@code <name>} in {@code msf.service~<name>}
 * @param version the running version (the bundle version of its first bundle), empty if none runs
 * @param phase what the deployer is doing with it
 * @param health the last health verdict of the running version, empty before the first check
 * @param since when the service entered this phase
 * @param inFlight requests delivered to the running version and not answered yet
 * @param bundleIds the bundles of the running version
 * @param locations where the running version's bundles came from
 * @param previousVersion the version {@code msf:rollback} returns to, empty if there is none
 * @param problem why the last change failed, empty if it did not
 * @param activity what the deployer is doing with the service right now, empty when idle
 */
public record ServiceState(String name, String version, Phase phase, String health, Instant since, int inFlight,
        List<Long> bundleIds, List<String> locations, String previousVersion, String problem, String activity) {

    public ServiceState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(since, "since");
        bundleIds = List.copyOf(bundleIds);
        locations = List.copyOf(locations);
        Objects.requireNonNull(previousVersion, "previousVersion");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(activity, "activity");
    }

    /** What the deployer is doing with a service. */
    public enum Phase {
        /** The first version is being installed and checked. */
        INSTALLING,
        /** Running and serving. */
        ACTIVE,
        /** A new version is being installed beside the running one, checked, and switched to. */
        SWAPPING,
        /** The last change failed: the version before it (if any) keeps serving; see {@code problem}. */
        FAILED,
        /** Configured but disabled ({@code enabled = false}): nothing is installed. */
        DISABLED
    }
}
