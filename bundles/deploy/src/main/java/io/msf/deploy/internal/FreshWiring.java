package io.msf.deploy.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Keeps a new version from wiring to the version it replaces. A bundle that exports its api
 * also imports it (substitutable export); left alone, the resolver wires the new version's import
 * to the running version's export, and removing the old version would then refresh, that is
 * restart, the new one. While the new version resolves, the old version's capabilities are hidden
 * from it whenever another candidate remains, and the two may both be resolved singletons.
 */
final class FreshWiring implements ResolverHookFactory {

    /** New bundle id to the ids of the bundles it replaces. */
    private final Map<Long, Set<Long>> replaced = new ConcurrentHashMap<>();

    void isolate(List<Bundle> fresh, List<Bundle> old) {
        Set<Long> oldIds = old.stream().map(Bundle::getBundleId).collect(Collectors.toUnmodifiableSet());
        if (!oldIds.isEmpty()) {
            fresh.forEach(bundle -> replaced.put(bundle.getBundleId(), oldIds));
        }
    }

    void forget(List<Bundle> fresh) {
        fresh.forEach(bundle -> replaced.remove(bundle.getBundleId()));
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
                Set<Long> old = replaced.get(idOf(requirement.getRevision()));
                if (old != null && candidates.stream().anyMatch(c -> !old.contains(idOf(c.getRevision())))) {
                    candidates.removeIf(c -> old.contains(idOf(c.getRevision())));
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
