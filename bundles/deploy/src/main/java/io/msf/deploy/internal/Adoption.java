package io.msf.deploy.internal;

import io.msf.deploy.api.ServiceState.Phase;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.service.log.Logger;

/**
 * What a deployer starting makes of the service bundles installed before it (by a deployer before
 * it, in this container's run or the last one): which version of each service runs, with what
 * parameters and start level, and whether it stands for a configuration that failed.
 */
final class Adoption {

    /**
     * The services taken over, and the highest generation installed: the next version installed
     * gets a higher one.
     */
    record Adopted(Map<String, Deployment> deployments, long generation) {
    }

    private final VersionControl versions;
    private final VersionControl.Params params;
    private final ServiceRecords records;
    private final JarRetry jarRetry;
    private final Logger log;
    private final Clock clock;

    Adoption(VersionControl versions, VersionControl.Params params, ServiceRecords records, JarRetry jarRetry,
            Logger log, Clock clock) {
        this.versions = versions;
        this.params = params;
        this.records = records;
        this.jarRetry = jarRetry;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Takes over the service bundles a previous deployer left installed: the newest generation of
     * each service is its running version, older ones (a swap cut short) are drained and removed, and so
     * are the parameters written for bundles that are not installed any more.
     *
     * <p>A generation with a bundle whose start or stop has not returned, beside another generation
     * of its service that is not so, is being removed: a version that failed while its activator
     * still ran, held and removed once it returns, on that call's own thread ({@link Versions}). It is
     * neither the running version, though it may be the newest (the version it did not replace would
     * be removed without a drain, and the service left with no route), nor removed here: its uninstall
     * would wait for the same call. A service's only generation is adopted whatever its bundles do
     * (a refresh restarting it, an operator's start or stop, a start again after a stop by hand): left
     * alone, it would run beside the copy the first pass installs, with no deployer to remove it.
     */
    Adopted adopt(Bundle[] installed, Map<String, Desired> desired) {
        Map<String, Deployment> deployments = new TreeMap<>();
        long generation = 0;
        Map<String, List<Bundle>> newest = new TreeMap<>();
        Map<String, Long> newestGeneration = new TreeMap<>();
        List<Bundle> stale = new ArrayList<>();
        List<Bundle> beingRemoved = beingRemoved(installed);
        for (Bundle bundle : installed) {
            Optional<BundleLocation> location = BundleLocation.parse(bundle.getLocation());
            if (location.isEmpty()) {
                continue;
            }
            BundleLocation id = location.get();
            generation = Math.max(generation, id.generation());
            if (beingRemoved.contains(bundle)) {
                continue;
            }
            long best = newestGeneration.getOrDefault(id.name(), -1L);
            if (id.generation() > best) {
                stale.addAll(newest.getOrDefault(id.name(), List.of()));
                newest.put(id.name(), new ArrayList<>(List.of(bundle)));
                newestGeneration.put(id.name(), id.generation());
            } else if (id.generation() == best) {
                newest.get(id.name()).add(bundle);
            } else {
                stale.add(bundle);
            }
        }
        newest.forEach((name, bundles) -> {
            bundles.sort(Comparator.comparingInt(b -> BundleLocation.parse(b.getLocation()).orElseThrow().index()));
            Deployment d = new Deployment(name, clock.instant());
            d.bundles = List.copyOf(bundles);
            Desired wanted = desired.get(name);
            Optional<ServiceRecord> record = records.read(name);
            d.droppedJar = record.map(ServiceRecord::droppedJar).orElse(""); // kept in what it writes next
            d.running = adopted(name, bundles, wanted == null ? null : wanted.spec(),
                    record.map(ServiceRecord::good).orElse(null));
            d.attempted = d.running;
            d.enter(Phase.ACTIVE, clock.instant());
            deployments.put(name, d);
            log.info("{}: adopted running bundles {}", name, bundles);
            if (wanted != null && wanted.spec() != null) {
                record.ifPresent(r -> keepFailed(d, wanted.spec(), r));
            }
        });
        if (!beingRemoved.isEmpty()) {
            log.warn("deployer: {} not adopted: a start or stop of theirs has not returned, and another version of"
                    + " their service is installed; a version that failed so is removed once it returns", beingRemoved);
        }
        try {
            drain(stale, desired);
            versions.remove(stale);
            List<Bundle> kept = new ArrayList<>(beingRemoved); // their activator may still read its parameters
            newest.values().forEach(kept::addAll);
            params.keepOnlyInstalled(kept);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.warn("deployer: parameters of bundles no longer installed ({} just removed) not deleted: {}", stale,
                    e.getMessage());
        }
        return new Adopted(deployments, generation);
    }

    /**
     * An older generation beside a newer one is what a swap cut short left: a deployer stopped during the
     * old version's drain leaves it answering the requests it has. It is held (new requests go to the newer
     * one; a swap held it already) and given the service's drain time, as the swap would have, before it
     * goes: removed at once, it would fail what it was still answering. The time is the one the service's
     * configuration gives, else the one its last good state ran with.
     */
    private void drain(List<Bundle> stale, Map<String, Desired> desired) throws InterruptedException {
        Map<String, List<Bundle>> byService = new TreeMap<>();
        for (Bundle bundle : stale) {
            BundleLocation.parse(bundle.getLocation()).ifPresent(location ->
                    byService.computeIfAbsent(location.name(), name -> new ArrayList<>()).add(bundle));
        }
        for (Map.Entry<String, List<Bundle>> service : byService.entrySet()) {
            String name = service.getKey();
            List<Bundle> bundles = service.getValue();
            versions.hold(bundles);
            Desired wanted = desired.get(name);
            Duration limit = wanted != null && wanted.spec() != null ? wanted.spec().drainTimeout()
                    : records.read(name).map(record -> record.good().drainTimeout())
                            .orElse(Duration.ofMillis(ServiceSpecs.DEFAULT_DRAIN_TIMEOUT_MILLIS));
            int left = versions.drain(bundles, limit);
            if (left > 0) {
                log.warn("{}: {}, left by a swap cut short, still had {} requests after drainTimeoutMillis={};"
                        + " removed anyway", name, bundles, left, limit.toMillis());
            }
        }
    }

    /**
     * The bundles of each generation in which a bundle's start (not a wait for its lazy activation)
     * or stop has not returned, of services that have another generation installed with none so.
     */
    private List<Bundle> beingRemoved(Bundle[] installed) {
        Map<Generation, List<Bundle>> generations = new LinkedHashMap<>();
        Set<Generation> busy = new HashSet<>();
        for (Bundle bundle : installed) {
            BundleLocation.parse(bundle.getLocation()).ifPresent(location -> {
                Generation generation = new Generation(location.name(), location.generation());
                generations.computeIfAbsent(generation, g -> new ArrayList<>()).add(bundle);
                if (versions.notReturned(bundle)) {
                    busy.add(generation);
                }
            });
        }
        Set<String> servicesWithAnIdleGeneration = new HashSet<>();
        generations.keySet().stream().filter(generation -> !busy.contains(generation))
                .forEach(generation -> servicesWithAnIdleGeneration.add(generation.name()));
        List<Bundle> bundles = new ArrayList<>();
        generations.forEach((generation, members) -> {
            if (busy.contains(generation) && servicesWithAnIdleGeneration.contains(generation.name())) {
                bundles.addAll(members);
            }
        });
        return bundles;
    }

    /** One version of a service: the bundles installed together, under one generation. */
    private record Generation(String name, long generation) {
    }

    /**
     * What adopted bundles run with, read from them: the configuration may have changed while no
     * deployer was there, so its parameters and start level are not taken as applied; the plan then
     * applies what differs (live, no restart), and a later swap keeps what they ran with as the
     * version to roll back to.
     *
     * @param wanted the configured spec, null if there is none
     * @param kept the last good state a deployer before this one kept, null if there is none
     */
    private ServiceSpec adopted(String name, List<Bundle> bundles, ServiceSpec wanted, ServiceSpec kept) {
        List<String> locations = bundles.stream()
                .map(b -> BundleLocation.parse(b.getLocation()).orElseThrow().location()).toList();
        // the configured spec if it names these bundles; otherwise one that makes the plan swap
        ServiceSpec base = wanted != null && wanted.locations().equals(locations) && hasVersion(bundles, wanted)
                ? wanted : new ServiceSpec(name, locations, versionKey(locations, bundles, kept),
                        ServiceSpecs.DEFAULT_START_LEVEL, true,
                        wanted != null ? wanted.pid() : ServiceSpecs.defaultPid(name),
                        // the defaults, for the last good state kept on disk if a swap from them fails
                        java.time.Duration.ofMillis(ServiceSpecs.DEFAULT_HEALTH_TIMEOUT_MILLIS),
                        java.time.Duration.ofMillis(ServiceSpecs.DEFAULT_DRAIN_TIMEOUT_MILLIS), Map.of());
        VersionControl.Given given = unlike(bundles.stream().map(b -> given(name, base.pid(), b)).toList(),
                new VersionControl.Given(base.pid(), base.params()));
        int startLevel = unlike(bundles.stream().map(versions::startLevel).toList(), base.startLevel());
        return new ServiceSpec(name, base.locations(), base.version(), startLevel, true, given.pid(),
                base.healthTimeout(), base.drainTimeout(), given.params());
    }

    /**
     * An adopted version that is the last good one of a recorded failure of the configuration still
     * wanted: the service stays FAILED and the configuration is not tried again (as before the
     * deployer restarted), until it changes or one of its jars does ({@link JarRetry}).
     */
    private void keepFailed(Deployment d, ServiceSpec wanted, ServiceRecord record) {
        ServiceRecord.Failure failed = record.failed();
        if (failed != null && wanted.equals(failed.spec()) && record.good().sameBundles(d.running)) {
            d.attempted = wanted;
            d.problem = failed.what() + ": " + failed.reason() + "; " + d.serving()
                    + (wanted.sameParams(d.running) ? "" : " with the parameters it had");
            d.enter(Phase.FAILED, clock.instant());
            jarRetry.watchFailed(d, failed);
        }
    }

    /**
     * The {@code version} key that installs these bundles again (a rollback to them), for an
     * {@code mvn:} location that names no version and cannot be resolved without it; empty if every
     * location says which jar it is. It is the key of the last good state kept, if that names these
     * bundles: a bundle's own version is not always its Maven one (1.0.0-SNAPSHOT is 1.0.0.SNAPSHOT,
     * in no repository), and stands in only when no record says it.
     */
    private static String versionKey(List<String> locations, List<Bundle> bundles, ServiceSpec kept) {
        if (kept != null && kept.locations().equals(locations) && hasVersion(bundles, kept)) {
            return kept.version();
        }
        for (int i = 0; i < locations.size(); i++) {
            if (locations.get(i).startsWith("mvn:") && Locations.mavenVersion(locations.get(i)) == null) {
                return bundles.get(i).getVersion().toString();
            }
        }
        return "";
    }

    /** What the bundle reads now; no parameters if that cannot be read (the plan then writes them again). */
    private VersionControl.Given given(String name, String pid, Bundle bundle) {
        try {
            return params.given(name, pid, bundle).orElse(new VersionControl.Given(pid, Map.of()));
        } catch (IOException e) {
            log.warn("{}: parameters of {} not read: {}", name, bundle, e.getMessage());
            return new VersionControl.Given(pid, Map.of());
        }
    }

    /**
     * Of what each bundle of a version has, the first that is unlike {@code expected}, or
     * {@code expected} if all are like it: one that differs is enough for the plan to set all again.
     */
    private static <T> T unlike(List<T> perBundle, T expected) {
        return perBundle.stream().filter(value -> !value.equals(expected)).findFirst().orElse(expected);
    }

    /**
     * Whether the bundles are of the spec's {@code version}: it is not part of their location when it
     * stands for that of an {@code mvn:} location without one, so a version changed while the deployer
     * was away (or a swap to it cut short) leaves the location as it was.
     */
    private static boolean hasVersion(List<Bundle> bundles, ServiceSpec spec) {
        if (spec.version().isEmpty()) {
            return true;
        }
        for (Bundle bundle : bundles) {
            String location = BundleLocation.parse(bundle.getLocation()).orElseThrow().location();
            if (Locations.mavenVersion(location) == null && !Versions.sameVersion(spec.version(), bundle.getVersion())) {
                return false;
            }
        }
        return true;
    }
}
