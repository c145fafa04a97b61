package io.msf.deploy.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.namespace.HostNamespace;
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
 * A service's bundle is kept off the other services' copies of the bundles it runs too, in every resolution,
 * and a service's fragment attaches to its own version's host only. What resolved while the hook was not
 * registered (the deployer down) is wired again once it is ({@link CrossedWires}).
 */
final class FreshWiring implements ResolverHookFactory {

    /** The framework's bundles, where the symbolic names each service runs are read at each resolution. */
    private final Supplier<Bundle[]> bundles;
    /** New bundle id to the ids of the bundles it replaces. */
    private final Map<Long, Set<Long>> replaced = new ConcurrentHashMap<>();
    /** New bundle id to the ids of the bundles whose capabilities it is kept off: those it replaces, and copies. */
    private final Map<Long, Set<Long>> hidden = new ConcurrentHashMap<>();

    /** Told once, as the next resolution begins ({@link #atNextResolution}). */
    private final AtomicReference<Runnable> nextResolution = new AtomicReference<>();

    /** @param bundles the framework's bundles (BundleContext::getBundles) */
    FreshWiring(Supplier<Bundle[]> bundles) {
        this.bundles = bundles;
    }

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

    /**
     * Has {@code task} run once, as the next resolution begins, on its thread and under the framework's
     * lock of resolutions (so it must not wait: hand the work to another thread). The framework resolves
     * one at a time and asks the hooks only once it holds that lock: when the next one begins, every
     * resolution begun before, without this hook maybe, has ended and its wires are in place.
     */
    void atNextResolution(Runnable task) {
        nextResolution.set(task);
    }

    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        Runnable task = nextResolution.getAndSet(null);
        if (task != null) {
            task.run();
        }
        return new ResolverHook() {
            /**
             * The names each service and version runs, read once a resolution needs them: only a requirement
             * between two bundles the deployer installed does, not each resolution of the container.
             */
            private DeployedNames names;

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
                if (HostNamespace.HOST_NAMESPACE.equals(requirement.getNamespace())) {
                    candidates.removeIf(host -> anotherVersionsHost(requirement.getRevision(), host.getRevision(),
                            this::names));
                    return;
                }
                Set<Long> kept = hidden.getOrDefault(idOf(requirement.getRevision()), Set.of());
                Predicate<BundleCapability> hide = c -> kept.contains(idOf(c.getRevision()))
                        || anotherServicesCopy(requirement.getRevision(), c.getRevision(), this::names);
                if (candidates.stream().anyMatch(hide.negate())) {
                    candidates.removeIf(hide);
                }
            }

            @Override
            public void end() {
                names = null;
            }

            private DeployedNames names() {
                if (names == null) {
                    names = new DeployedNames(bundles.get());
                }
                return names;
            }
        };
    }

    /**
     * Whether {@code provider} is another service's copy of a bundle the service of {@code requirer} runs
     * too: both bundles the deployer installed, for two services, the provider's symbolic name among those
     * of the requirer's service (the requirer's own, or another of its bundles: two services of an api jar
     * and an impl jar each). Looked at in every resolution, not only while a version comes up: a refresh,
     * or a restart, resolves the copies again, and the framework would take the export of the copy
     * already resolved, or of the lower id, for both services.
     */
    static boolean anotherServicesCopy(BundleRevision requirer, BundleRevision provider,
            Supplier<DeployedNames> names) {
        String name = provider.getSymbolicName();
        if (name == null || requirer.getSymbolicName() == null) {
            return false;
        }
        Optional<String> providers = serviceOf(provider);
        if (providers.isEmpty()) {
            return false;
        }
        Optional<String> service = serviceOf(requirer);
        return service.isPresent() && !service.equals(providers)
                && (name.equals(requirer.getSymbolicName()) || names.get().ofService(service.get()).contains(name));
    }

    /**
     * Whether {@code host} is of another version than {@code fragment}, a fragment the deployer installed
     * whose version runs a bundle of the host's symbolic name: the fragment attaches to its own version's
     * host only. Whether or not another candidate remains: the framework attaches a fragment already
     * resolved to a host resolved later, so that the old version's fragment, or another service's copy,
     * went onto a new host too, often instead of the host's own fragment of that name; its removal (a swap's
     * end, an undeploy) then refreshed the new host, a restart without a drain. A fragment of a service that
     * runs no copy of its host (one that extends another service's bundle) is left to the framework.
     */
    static boolean anotherVersionsHost(BundleRevision fragment, BundleRevision host, Supplier<DeployedNames> names) {
        Optional<BundleLocation> fragments = locationOf(fragment);
        Optional<BundleLocation> hosts = locationOf(host);
        return fragments.isPresent() && hosts.isPresent() && host.getSymbolicName() != null
                && !fragments.get().serviceVersion().equals(hosts.get().serviceVersion())
                && names.get().ofVersion(fragments.get().serviceVersion()).contains(host.getSymbolicName());
    }

    private static Optional<BundleLocation> locationOf(BundleRevision revision) {
        String location = revision.getBundle().getLocation();
        return location == null ? Optional.empty() : BundleLocation.parse(location);
    }

    /** The service a bundle the deployer installed is of; empty for any other bundle. */
    private static Optional<String> serviceOf(BundleRevision revision) {
        return locationOf(revision).map(BundleLocation::name);
    }

    private boolean replaces(long fresh, long old) {
        Set<Long> oldIds = replaced.get(fresh);
        return oldIds != null && oldIds.contains(old);
    }

    private static long idOf(BundleRevision revision) {
        return revision.getBundle().getBundleId();
    }
}
