package io.msf.deploy.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Keeps a new version from wiring to the version it replaces, and to the copies of its bundles that
 * other services run. A bundle that exports its api also imports it (substitutable export); left
 * alone, the resolver wires the new version's import to the export of a copy already resolved, and
 * removing that copy (the old version, or another service's swapped or undeployed) would then
 * refresh, that is restart, the new one. While the new version resolves, those bundles'
 * capabilities are hidden from it whenever another candidate remains, and it may be a resolved
 * singleton beside the version it replaces (not beside another service's copy: a singleton is one).
 * A copy of a bundle is kept off the other services' copies of that same bundle in every resolution.
 */
final class FreshWiring implements ResolverHookFactory {

    /** New bundle id to the ids of the bundles it replaces. */
    private final Map<Long, Set<Long>> replaced = new ConcurrentHashMap<>();
    /** New bundle id to the ids of the bundles whose capabilities it is kept off: those it replaces, and copies. */
    private final Map<Long, Set<Long>> hidden = new ConcurrentHashMap<>();

    /**
     * @param old the bundles the new version replaces
     * @param copies other services' copies of its bundles
     */
    void isolate(List<Bundle> fresh, List<Bundle> old, List<Bundle> copies) {
        Set<Long> oldIds = old.stream().map(Bundle::getBundleId).collect(Collectors.toUnmodifiableSet());
        Set<Long> hiddenIds = Stream.concat(old.stream(), copies.stream()).map(Bundle::getBundleId)
                .collect(Collectors.toUnmodifiableSet());
        fresh.forEach(bundle -> {
            if (!oldIds.isEmpty()) {
                replaced.put(bundle.getBundleId(), oldIds);
            }
            if (!hiddenIds.isEmpty()) {
                hidden.put(bundle.getBundleId(), hiddenIds);
            }
        });
    }

    void forget(List<Bundle> fresh) {
        fresh.forEach(bundle -> {
            replaced.remove(bundle.getBundleId());
            hidden.remove(bundle.getBundleId());
        });
    }

    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        return new ResolverHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
                // every bundle may resolve
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisions) {
                long id = idOf(singleton.getRevision());
                collisions.removeIf(other -> replaces(id, idOf(other.getRevision()))
                        || replaces(idOf(other.getRevision()), id));
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                Set<Long> kept = hidden.getOrDefault(idOf(requirement.getRevision()), Set.of());
                Predicate<BundleCapability> hide = c -> kept.contains(idOf(c.getRevision()))
                        || anotherServicesCopy(requirement.getRevision(), c.getRevision());
                if (candidates.stream().anyMatch(hide.negate())) {
                    candidates.removeIf(hide);
                }
            }

            @Override
            public void end() {
                // nothing held
            }
        };
    }

    /**
     * Whether {@code provider} is a copy another service runs of the bundle {@code requirer} is: two
     * bundles the deployer installed, for two services, of one symbolic name. Looked at in every
     * resolution, not only while a version comes up: a refresh resolves both copies again (both wired
     * to a bundle removed), neither resolved then, and the framework would take the lower id's export
     * for both.
     */
    private static boolean anotherServicesCopy(BundleRevision requirer, BundleRevision provider) {
        String name = requirer.getSymbolicName();
        if (name == null || !name.equals(provider.getSymbolicName())) {
            return false;
        }
        Optional<String> service = serviceOf(requirer);
        Optional<String> providers = serviceOf(provider);
        return service.isPresent() && providers.isPresent() && !service.equals(providers);
    }

    /** The service a bundle the deployer installed is of; empty for any other bundle. */
    private static Optional<String> serviceOf(BundleRevision revision) {
        String location = revision.getBundle().getLocation();
        return location == null ? Optional.empty() : BundleLocation.parse(location).map(BundleLocation::name);
    }

    private boolean replaces(long fresh, long old) {
        Set<Long> oldIds = replaced.get(fresh);
        return oldIds != null && oldIds.contains(old);
    }

    private static long idOf(BundleRevision revision) {
        return revision.getBundle().getBundleId();
    }
}
