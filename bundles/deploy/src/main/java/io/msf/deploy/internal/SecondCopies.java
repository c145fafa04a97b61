package io.msf.deploy.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Bundle;

/**
 * Keeps a jar of the deploy folder from running a second copy of a bundle another service runs. A
 * jar's service is named by its bundle's symbolic name, a configured service by its configuration, so
 * {@code repository/msf-dlna.jar} configured as {@code dlna} and the same jar dropped into deploy/
 * would be two services, {@code dlna} and {@code io.msf.dlna}, of one bundle: each with its own state,
 * both answering to the same agent names, so that requests go to one or the other by service ranking.
 * Dropping the jar was more likely meant as an update of {@code dlna}; it is refused instead, saying
 * how to update. (Two configurations may name one bundle on purpose: each names its service.)
 */
final class SecondCopies {

    private SecondCopies() {
    }

    /**
     * {@code desired} as given, or refused if it is a jar's service whose bundle another service runs
     * (or drains, in a swap) now.
     *
     * @param all what every source asks, for the other service's configuration file in the message
     */
    static Desired check(String name, Desired desired, Map<String, Desired> all, Collection<Deployment> deployments) {
        if (desired == null || !desired.jar() || desired.refused()) {
            return desired;
        }
        Optional<Deployment> other = deployments.stream()
                .filter(d -> !d.name.equals(name) && (runs(d.bundles, name) || runs(d.draining, name))).findFirst();
        if (other.isEmpty()) {
            return desired;
        }
        String service = other.get().name;
        Desired its = all.get(service);
        String configured = its == null || its.jar() ? "" : " (" + its.origin() + ")";
        String problem = desired.origin() + " is not deployed: its bundle " + name + " runs as service " + service
                + configured + ", and a second copy beside it would answer to the same agent names. To run this jar"
                + " as " + service + ", copy it into repository/ and point " + service + "'s location at it"
                + " (msf:update " + service + " <its file name there>); then delete it here";
        return new Desired(desired.spec(), problem, desired.changeCount(), desired.origin(), true);
    }

    /** Whether a service other than {@code name} runs (or drains) the bundle of that symbolic name. */
    static boolean runsElsewhere(String name, Collection<Deployment> deployments) {
        return deployments.stream()
                .anyMatch(d -> !d.name.equals(name) && (runs(d.bundles, name) || runs(d.draining, name)));
    }

    private static boolean runs(List<Bundle> bundles, String symbolicName) {
        return bundles.stream().anyMatch(bundle -> symbolicName.equals(bundle.getSymbolicName()));
    }
}
