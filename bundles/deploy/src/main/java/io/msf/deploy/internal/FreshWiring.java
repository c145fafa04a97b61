package io.msf.deploy.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
                Set<Long> kept = hidden.get(idOf(requirement.getRevision()));
                if (kept != null && candidates.stream().anyMatch(c -> !kept.contains(idOf(c.getRevision())))) {
                    candidates.removeIf(c -> kept.contains(idOf(c.getRevision())));
                }
            }

            @Override
            public void end() {
                // nothing held
            }
        };
    }

    private boolean replaces(long fresh, long old) {
        Set<Long> oldIds = replaced.get(fresh);
        return oldIds != null && oldIds.contains(old);
    }

    private static long idOf(BundleRevision revision) {
        return revision.getBundle().getBundleId();
    }
}
