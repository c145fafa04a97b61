package io.msf.monitor.api;

import java.time.Duration;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs the {@link HealthCheck} services and the monitor's own threshold checks: what
 * {@code msf:health} and {@code /health} show and what the deployer's gate asks.
 */
@ProviderType
public interface Health {

    /** One service's aggregated health: the worst of its checks and its open alerts. */
    record ServiceHealth(String service, HealthResult result, List<String> alerts) {
    }

    /** Every service with a check or an alert, by name. */
    List<ServiceHealth> all();

    /**
     * Runs the checks registered by {@code bundle} now, each bounded by {@code limit}; UP with a
     * detail saying so when the bundle registered none.
     */
    HealthResult checkBundle(Bundle bundle, Duration limit);
}
