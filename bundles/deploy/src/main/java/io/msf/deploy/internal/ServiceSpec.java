package io.msf.deploy.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one service should be: its configuration, read and checked.
 *
 * @param name the service's name
 * @param locations its bundles, as written (resolved at install time)
 * @param version the required bundle version, empty for any
 * @param startLevel the bundles' start level
 * @param enabled false = nothing installed
 * @param pid the PID that receives {@code params}
 * @param healthTimeout how long a new version may take to be ready
 * @param drainTimeout how long the old version may take to finish its requests
 * @param params the service's parameters, prefix {@code param.} removed
 */
record ServiceSpec(String name, List<String> locations, String version, int startLevel, boolean enabled, String pid,
        Duration healthTimeout, Duration drainTimeout, Map<String, Object> params) {

    ServiceSpec {
        locations = List.copyOf(locations);
        params = java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }

    /** Whether the two describe the same bundles: a difference needs a swap. */
    boolean sameBundles(ServiceSpec other) {
        return other != null && locations.equals(other.locations) && version.equals(other.version);
    }

    /** Whether the two hand the service the same parameters. */
    boolean sameParams(ServiceSpec other) {
        return other != null && pid.equals(other.pid) && params.equals(other.params);
    }

    ServiceSpec withBundles(List<String> newLocations, String newVersion) {
        return new ServiceSpec(name, newLocations, newVersion, startLevel, enabled, pid, healthTimeout, drainTimeout,
                params);
    }
}
