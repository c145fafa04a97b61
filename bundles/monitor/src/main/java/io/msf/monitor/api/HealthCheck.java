package io.msf.monitor.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A service's own health check, offered as an OSGi service by the service's bundle. The monitor
 * runs every check for {@code msf:health} and {@code /health}; the deployer's hot-swap gate runs the
 * checks of a new version's bundles before it sends requests there.
 *
 * <p>A check must be quick (it is called on demand, not at the sampling rate: at each msf:health, each
 * /health request and by the gate, with whoever asked waiting for it) and must not throw;
 * a check that throws or takes longer than the caller's limit counts as {@link HealthStatus#DOWN}, and a
 * late one is interrupted.
 */
@ConsumerType
@FunctionalInterface
public interface HealthCheck {

    /** Service property: the msf service (deployer name, agent name) the check is about; default the bundle's symbolic name. */
    String SERVICE = "msf.health.service";

    HealthResult check();
}
