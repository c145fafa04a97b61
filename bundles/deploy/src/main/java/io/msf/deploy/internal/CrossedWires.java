package io.msf.deploy.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.log.Logger;

/**
 * Finds the service bundles wired as {@link FreshWiring} keeps them from being, and refreshes just
 * those once it is registered again: a bundle wired to another service's copy of one of its service's
 * bundles, and a fragment attached to another version's host. They resolved while no deployer, and so no
 * hook, was there: an operator's {@code refresh} of a bundle the deployer and the services both import
 * (the agent's api after an {@code update}) stops the deployer with them, and Felix starts the bundles it
 * refreshed again in no set order (not by start level), so that services' bundles can resolve before the
 * deployer is back. Left so, a swap or an undeploy of the one service would refresh, that is restart
 * without a drain, the other.
 */
final class CrossedWires {

    /** Waits, on a thread of its own, for a bundle still starting: the refresh that stopped the deployer may go on. */
    private final Refresher refresher;
    private final Logger log;

    CrossedWires(Refresher refresher, Logger log) {
        this.refresher = refresher;
        this.log = log;
    }

    /**
     * Refreshes the service bundles among {@code installed} that are wired across services or versions,
     * each logged at INFO with the wire that is wrong; nothing if there is none.
     *
     * @return the bundles refreshed
     */
    List<Bundle> rewire(Bundle[] installed) throws InterruptedException {
        Map<Bundle, BundleWire> crossed = find(installed);
        if (crossed.isEmpty()) {
            return List.of();
        }
        crossed.forEach((bundle, wire) -> log.info("{}: refreshed to be wired again: {}; resolved while no"
                + " deployer was there (a refresh that included it, or its stop by hand)", bundle, why(wire)));
        List<Bundle> bundles = List.copyOf(crossed.keySet());
        refresher.refresh(bundles);
        return bundles;
    }

    /** The service bundles wired across services or versions, each with the first such wire of theirs. */
    static Map<Bundle, BundleWire> find(Bundle[] installed) {
        Bundle[] present = Arrays.stream(installed).filter(b -> b.getState() != Bundle.UNINSTALLED)
                .toArray(Bundle[]::new);
        DeployedNames names = new DeployedNames(present);
        Map<Bundle, BundleWire> crossed = new LinkedHashMap<>();
        for (Bundle bundle : present) {
            BundleWiring wiring = BundleLocation.parse(bundle.getLocation()).isEmpty() ? null
                    : bundle.adapt(BundleWiring.class);
            if (wiring == null) {
                continue; // not the deployer's, or not resolved: it resolves with the hook there
            }
            wiring.getRequiredWires(null).stream().filter(wire -> crosses(wire, present, () -> names)).findFirst()
                    .ifPresent(wire -> crossed.put(bundle, wire));
        }
        return crossed;
    }

    /**
     * Whether the hook would have kept {@code wire} out: a fragment's on another version's host, or an
     * import from another service's copy while a capability of another bundle matched too (the hook hides
     * the copy only then: with no other candidate, the import is wired to it).
     */
    private static boolean crosses(BundleWire wire, Bundle[] installed, Supplier<DeployedNames> names) {
        if (HostNamespace.HOST_NAMESPACE.equals(wire.getCapability().getNamespace())) {
            return FreshWiring.anotherVersionsHost(wire.getRequirer(), wire.getProvider(), names);
        }
        return FreshWiring.anotherServicesCopy(wire.getRequirer(), wire.getProvider(), names)
                && Arrays.stream(installed).map(b -> b.adapt(BundleRevision.class))
                        .filter(revision -> revision != null && !FreshWiring.anotherServicesCopy(wire.getRequirer(),
                                revision, names))
                        .flatMap(revision -> revision.getDeclaredCapabilities(wire.getCapability().getNamespace())
                                .stream())
                        .anyMatch(capability -> wire.getRequirement().matches(capability));
    }

    private static String why(BundleWire wire) {
        BundleCapability capability = wire.getCapability();
        return HostNamespace.HOST_NAMESPACE.equals(capability.getNamespace())
                ? "a fragment attached to " + wire.getProvider().getBundle() + ", another version's host"
                : "wired to " + wire.getProvider().getBundle() + ", another service's copy, for "
                        + capability.getNamespace() + " " + capability.getAttributes().get(capability.getNamespace())
                        + ", which another bundle provides too";
    }
}
