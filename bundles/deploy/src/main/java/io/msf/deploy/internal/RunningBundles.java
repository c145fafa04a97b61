package io.msf.deploy.internal;

import java.util.List;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * A running version's bundle that should run and does not: started (persistently, not stopped by
 * hand, which {@link StoppedByHand} tells), yet INSTALLED or RESOLVED. A refresh that could not wire
 * it again (what it imports uninstalled), or whose restart of it threw, leaves it so with no event
 * the deployer acts on, and its health checks, gone with it, would answer nothing: {@code msf:list}
 * showed such a service ACTIVE and UP.
 */
final class RunningBundles {

    private RunningBundles() {
    }

    /** Those of {@code bundles} that should run and are INSTALLED: not resolved. */
    static List<Bundle> unresolved(List<Bundle> bundles) {
        return bundles.stream().filter(bundle -> bundle.getState() == Bundle.INSTALLED && started(bundle)).toList();
    }

    private static boolean started(Bundle bundle) {
        BundleStartLevel startLevel = bundle.adapt(BundleStartLevel.class);
        return startLevel != null && startLevel.isPersistentlyStarted();
    }

    /** Why the first such bundle of {@code bundles} does not run; empty if each runs (or is starting). */
    static Optional<String> notRunning(List<Bundle> bundles) {
        for (Bundle bundle : bundles) {
            int state = bundle.getState();
            if (state != Bundle.INSTALLED && state != Bundle.RESOLVED) {
                continue;
            }
            if (!started(bundle)) {
                continue; // stopped by hand, or uninstalled meanwhile
            }
            return Optional.of(Versions.describe(bundle) + (state == Bundle.INSTALLED
                    ? " is INSTALLED, not ACTIVE: it does not resolve (a package it imports no longer exported?"
                            + " log:tail has the framework's reason)"
                    : " is RESOLVED, not ACTIVE: its start failed (log:tail has why)"));
        }
        return Optional.empty();
    }
}
