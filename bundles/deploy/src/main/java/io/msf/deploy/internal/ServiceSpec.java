package io.msf.deploy.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * @param drainTimeout how long the old version, or the service undeployed or disabled, may take to finish its requests
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

    /** Whether the two hand the service the same parameters (array values compared by content). */
    boolean sameParams(ServiceSpec other) {
        return other != null && pid.equals(other.pid) && ParamValues.same(params, other.params);
    }

    /** Whether the two give a version the same time to come up and to drain. */
    boolean sameLimits(ServiceSpec other) {
        return other != null && healthTimeout.equals(other.healthTimeout) && drainTimeout.equals(other.drainTimeout);
    }

    /** Every component equal, the parameters by value ({@link ParamValues}): a record compares arrays by identity. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ServiceSpec spec && name.equals(spec.name) && locations.equals(spec.locations)
                && version.equals(spec.version) && startLevel == spec.startLevel && enabled == spec.enabled
                && healthTimeout.equals(spec.healthTimeout) && drainTimeout.equals(spec.drainTimeout)
                && sameParams(spec);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, locations, version, startLevel, enabled, pid, healthTimeout, drainTimeout)
                + ParamValues.hash(params);
    }

    ServiceSpec withBundles(List<String> newLocations, String newVersion) {
        return new ServiceSpec(name, newLocations, newVersion, startLevel, enabled, pid, healthTimeout, drainTimeout,
                params);
    }
}
