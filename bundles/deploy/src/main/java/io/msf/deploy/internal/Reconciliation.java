package io.msf.deploy.internal;

import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.service.log.Logger;

/**
 * Brings what runs to what is configured, one service at a time, on the deployer's single thread:
 * plans each service ({@link Plan}) and carries the plan out ({@link PlanSteps}). A failed change
 * leaves the version before it serving, and says why (log, {@code msf:list}, {@code msf/deploy/FAILED}).
 *
 * <p>What serves after each change, and the change that failed after it, is kept on disk
 * ({@link ServiceRecords}), so that a container started afresh installs the version that served
 * rather than a configuration that is known to fail, as the deployer before it did ({@link LastGood}).
 * What a deployer before this one left running is taken over ({@link Adoption}); a bundle stopped by
 * hand is left so ({@link StoppedByHand}); a version that failed is tried again once its jars have
 * changed ({@link JarRetry}).
 */
final class Reconciliation {

    private final VersionControl versions;
    private final VersionControl.Params params;
    private final JarRetry jarRetry;
    private final Adoption adoption;
    private final PlanSteps steps;
    private final LastGood lastGood;
    private final StoppedByHand stoppedByHand;
    private final ServiceRecords records;
    private final DeployEvents events;
    private final Logger log;
    private final Clock clock;
    private final Map<String, Deployment> deployments = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private volatile boolean busy;

    /** @param passwords the keys of a PID typed PASSWORD, whose values its log lines do not repeat */
    Reconciliation(VersionControl versions, VersionControl.Params params, JarStamps jars, ServiceRecords records,
            DeployEvents events, Function<String, Set<String>> passwords, Logger log, Clock clock) {
        this.versions = versions;
        this.params = params;
        this.jarRetry = new JarRetry(jars, log);
        this.adoption = new Adoption(versions, params, records, jarRetry, log, clock);
        Failures failures = new Failures(events, log, clock);
        this.steps = new PlanSteps(versions, params, records, jarRetry, failures, events, passwords, log, clock,
                generation);
        this.lastGood = new LastGood(steps, records, jarRetry, failures, log, clock);
        this.stoppedByHand = new StoppedByHand(versions, failures, events, log, clock);
        this.records = records;
        this.events = events;
        this.log = log;
        this.clock = clock;
    }

    /** Marks the state as changed; true if the caller must queue a {@link #run} (none is queued yet). */
    boolean markDirty() {
        return dirty.compareAndSet(false, true);
    }

    /**
     * Takes over the service bundles a previous deployer left installed ({@link Adoption}): each
     * service's newest generation is its running version.
     */
    void adopt(Bundle[] installed, Map<String, Desired> desired) {
        Adoption.Adopted adopted = adoption.adopt(installed, desired);
        generation.accumulateAndGet(adopted.generation(), Math::max);
        deployments.putAll(adopted.deployments());
    }

    /**
     * Deletes what deployers before this one kept of services that nothing names any more: their
     * configuration deleted, or their jar, while the container was down. A service of that name
     * configured later is another service: were the record kept, a failed install of it would bring
     * up the old one's version. The parameters written for them go too (those of bundles no longer
     * installed went at {@link #adopt}). Called once every configuration and jar the container started
     * with is known, so that a slow start deletes nothing of a service still there, and on the
     * deployer's thread, between passes; a record of a service that runs is left to the passes.
     * Called again after each change of a source once the container runs: a source can go without a
     * pass seeing its service (a configuration deleted before a pass made anything of it), or the
     * start could not tell what was named (a libmsf process file refused then).
     *
     * @param named every service a source names (see {@link DeploySources#named})
     * @param why why such a record goes, for the log
     */
    void forgetUnnamed(Set<String> named, String why) {
        Set<String> known = new TreeSet<>(named);
        known.addAll(deployments.keySet());
        try {
            params.keepOnlyServices(known);
        } catch (IOException e) {
            log.warn("deployer: parameters of services no longer named not deleted: {}", e.getMessage());
        }
        Set<String> kept;
        try {
            kept = records.names();
        } catch (IOException e) {
            log.warn("deployer: the last good states were not listed, none deleted: {}", e.toString());
            return;
        }
        for (String name : kept) {
            if (!named.contains(name) && !deployments.containsKey(name)) {
                records.delete(name, why);
            }
        }
    }

    /** One pass over every service. */
    void run(Supplier<Map<String, Desired>> source) {
        busy = true;
        dirty.set(false);
        try {
            Map<String, Desired> desired = source.get();
            Set<String> names = new TreeSet<>(desired.keySet());
            names.addAll(deployments.keySet());
            // the jars' services last: a jar is checked against what the others run once this pass changed them
            List<String> jarsLast = names.stream().sorted(Comparator.comparing(name -> isJar(desired.get(name))))
                    .toList();
            for (String name : jarsLast) {
                if (Thread.currentThread().isInterrupted() || versions.containerStopping()) {
                    return; // a step begun now would be cut by the stop, and kept as the version's failure
                }
                try {
                    reconcile(name, SecondCopies.check(name, desired.get(name), desired, deployments.values()));
                } catch (RuntimeException e) {
                    // one service's trouble (a bundle uninstalled as it is looked at) holds up no other:
                    // those after it would wait for the next pass, which nothing may bring for long
                    log.error("{}: reconciliation failed, tried again at the next pass; the other services go on: {}",
                            name, e.toString(), e);
                }
            }
            startResolvedAgain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("deployer: reconciliation failed: {}", e.toString(), e);
        } finally {
            busy = false;
        }
    }

    /**
     * Starts the bundles of running versions that a refresh left unresolved once they resolve again: a
     * service whose api was undeployed (upnp, dlna's) runs again in the pass that deploys it again. The
     * framework starts no bundle when what it imports comes back, and they would stay INSTALLED until a
     * start by hand or the container's restart.
     */
    private void startResolvedAgain() throws InterruptedException {
        for (Deployment d : deployments.values()) {
            ServiceSpec running = d.running;
            List<Bundle> unresolved = RunningBundles.unresolved(d.bundles);
            if (running == null || unresolved.isEmpty() || !d.leftToRun()) {
                continue;
            }
            try {
                if (versions.startIfResolved(running, unresolved)) {
                    log.info("{}: {} resolve again, and are started again", d.name, unresolved);
                    d.restarted(clock.instant());
                }
            } catch (DeployException | RuntimeException e) {
                log.warn("{}: {} resolve again but did not start: {}", d.name, unresolved, e.getMessage());
            }
        }
    }

    private static boolean isJar(Desired desired) {
        return desired != null && desired.jar();
    }

    private void reconcile(String name, Desired desired) throws InterruptedException {
        Deployment d = deployments.get(name);
        if (d != null && d.bundles.stream().anyMatch(b -> b.getState() == Bundle.UNINSTALLED)) {
            // uninstalled by someone else (console, another tool): what runs is nothing, install again
            log.warn("{}: bundles {} were uninstalled outside the deployer", name, d.bundles);
            stoppedByHand.forget(d);
            versions.remove(d.bundles.stream().filter(b -> b.getState() != Bundle.UNINSTALLED).toList());
            steps.removeParams(d.bundles);
            ServiceSpec ran = d.running;
            ServiceSpec tried = d.attempted;
            String problem = d.problem;
            // the phase before the bundles: a snapshot (bundles read first) never shows ACTIVE with none
            d.enter(Phase.INSTALLING, clock.instant());
            d.bundles = List.of();
            d.running = null;
            d.attempted = null;
            if (ran != null && desired != null && (desired.refused()
                    || (tried != null && !tried.equals(ran) && tried.equals(desired.spec())))) {
                lastGood.bringBack(d, ran, tried, problem);
            }
        }
        if (stoppedByHand.leftStopped(d, desired)) {
            return;
        }
        if (desired != null && desired.refused()) {
            // none known since this deployer started: a configuration refused now ran before it, maybe; so did
            // a jar of the deploy folder refused now, if its last good state was taken from that same file
            // (its bundle then is this service's; not if another service runs it by now)
            Optional<ServiceRecord> record = d == null ? records.read(name)
                    .filter(r -> !desired.jar() || (r.droppedJar().equals(desired.origin())
                            && !SecondCopies.runsElsewhere(name, deployments.values())))
                    : Optional.empty();
            d = deployments.computeIfAbsent(name, n -> new Deployment(n, clock.instant()));
            if (record.isPresent()) {
                d.droppedJar = record.get().droppedJar(); // kept in the record its next change writes
                lastGood.keepServing(d, record.get());
            }
            // as a change that failed says it, when a version serves: msf:list, the log and the event alike
            String problem = d.bundles.isEmpty() ? desired.problem() : desired.problem() + "; " + d.serving();
            if (!problem.equals(d.problem)) {
                d.problem = problem;
                log.error("{}: {}", name, d.bundles.isEmpty() ? problem + "; " + d.serving() : problem);
                events.post(Deployer.TOPIC_FAILED, name, d.version(), problem);
            }
            d.enter(Phase.FAILED, clock.instant());
            d.appliedChangeCount = desired.changeCount();
            return;
        }
        ServiceSpec spec = desired == null ? null : desired.spec();
        if (d == null && spec != null && !spec.enabled()) {
            d = deployments.computeIfAbsent(name, n -> new Deployment(n, clock.instant())); // listed as DISABLED
        }
        Plan plan = Plan.of(spec, d == null ? null : d.running, d == null ? null : d.attempted);
        if (!plan.isNothing()) {
            // none known since this deployer started: what is kept on disk is of a deployer before it
            Optional<ServiceRecord> record = d == null && plan.step() == Plan.Step.INSTALL ? records.read(name)
                    : Optional.empty();
            d = deployments.computeIfAbsent(name, n -> new Deployment(n, clock.instant()));
            d.droppedJar = desired != null && desired.jar() ? desired.origin() : "";
            try {
                if (record.isPresent()) {
                    lastGood.restore(d, spec, record.get());
                } else {
                    steps.execute(d, spec, plan);
                }
            } finally {
                d.activity = "";
            }
        } else if (d != null && isJar(desired) && !d.droppedJar.equals(desired.origin())) {
            // adopted, or a jar renamed in the folder: nothing changed, so nothing would write the record
            d.droppedJar = desired.origin();
            records.tieToDroppedJar(desired.spec(), desired.origin());
        }
        if (d != null) {
            d.appliedChangeCount = desired == null ? -1 : desired.changeCount();
            settle(d, spec);
        }
    }

    /**
     * Has the next pass try again each install or swap that failed whose jars changed since it was
     * tried and stayed the same from one look to the next ({@link JarRetry}). Called on the
     * deployer's thread, between passes.
     *
     * @return whether a pass is needed
     */
    boolean retryChangedJars() {
        return jarRetry.retryChanged(deployments.values());
    }

    /** Phase and problem after a pass, from what runs and what was tried. */
    private void settle(Deployment d, ServiceSpec spec) {
        boolean failedAttempt = spec != null && spec.equals(d.attempted)
                && (d.running == null || !d.running.sameBundles(d.attempted) || !d.running.sameParams(d.attempted));
        if (failedAttempt) {
            d.enter(Phase.FAILED, clock.instant());
        } else if (d.running != null) {
            d.problem = "";
            d.enter(Phase.ACTIVE, clock.instant());
        } else if (spec != null && !spec.enabled()) {
            d.problem = "";
            if (d.phase != Phase.DISABLED) {
                // as when a running service is disabled: also one disabled while the container was down
                records.delete(d.name, "the service is disabled (enabled = false)");
            }
            d.enter(Phase.DISABLED, clock.instant());
        } else if (spec == null) {
            deployments.remove(d.name);
            records.delete(d.name);
        }
    }

    /**
     * The bundle locations a service still needs installed again one day: what runs, what a rollback
     * returns to, the version an install or swap brings up now (it serves next, and its last good state
     * names it), and the last good state kept on disk of each service (installed after a container
     * restart, before a pass has seen the service). Empty if the records cannot be listed (then logged).
     */
    Optional<Set<String>> locationsInUse() {
        Set<String> inUse = new HashSet<>();
        for (Deployment d : deployments.values()) {
            // the phase first: a step sets what it tries before it enters its phase
            Phase phase = d.phase;
            ServiceSpec underWay = phase == Phase.INSTALLING || phase == Phase.SWAPPING ? d.attempted : null;
            for (ServiceSpec spec : new ServiceSpec[] {d.running, d.previous, underWay}) {
                if (spec != null) {
                    inUse.addAll(spec.locations());
                }
            }
        }
        try {
            for (String name : records.names()) {
                records.read(name).ifPresent(record -> inUse.addAll(record.good().locations()));
            }
        } catch (IOException e) {
            log.warn("deployer: the last good states were not listed, no copy of a deploy folder jar is deleted: {}",
                    e.toString());
            return Optional.empty();
        }
        return Optional.of(inUse);
    }

    // ---- for the Deployer service ----

    /** A bundle was started (by anyone): the service it belongs to was restarted then, if it was ACTIVE. */
    void bundleStarted(long bundleId, Instant at) {
        for (Deployment d : deployments.values()) {
            if (d.bundles.stream().anyMatch(bundle -> bundle.getBundleId() == bundleId)) {
                d.restarted(at);
            }
        }
    }

    /**
     * The running version of each service that has one, and the version a swap is draining, for the
     * drain before the container stops.
     */
    List<StopDrain.Service> running() {
        List<StopDrain.Service> running = new ArrayList<>();
        for (Deployment d : deployments.values()) {
            List<Bundle> bundles = d.bundles;
            List<Bundle> draining = d.draining;
            ServiceSpec spec = d.running;
            if (spec != null && !bundles.isEmpty()) {
                running.add(new StopDrain.Service(d.name, bundles, spec.drainTimeout()));
            }
            if (spec != null && !draining.isEmpty()) {
                // the swap drains it as long as the new version's configuration says
                running.add(new StopDrain.Service(d.name, d.name + " (the version its swap replaces)", draining,
                        spec.drainTimeout()));
            }
        }
        return running;
    }

    List<ServiceState> states() {
        return deployments.values().stream().map(d -> d.snapshot(versions.inFlight(d.bundles))).toList();
    }

    /**
     * Each service whose running version has a bundle that should run and does not ({@link RunningBundles}),
     * with why: {@code <name>: <bundle> is INSTALLED, not ACTIVE: ...}. Services stopped by hand, and those the
     * deployer is changing now, are not judged.
     */
    List<String> notRunning() {
        List<String> down = new ArrayList<>();
        deployments.values().stream().sorted(Comparator.comparing(d -> d.name)).forEach(d -> {
            if (d.leftToRun()) {
                RunningBundles.notRunning(d.bundles).ifPresent(why -> down.add(d.name + ": " + why));
            }
        });
        return down;
    }

    /** Asks again how each running version is, for {@code msf:list}: the gate's verdict is only a start. */
    void checkHealth(java.util.function.Function<List<Bundle>, String> check) {
        deployments.values().forEach(d -> {
            List<Bundle> bundles = d.bundles;
            if (!bundles.isEmpty() && d.leftToRun()) {
                d.health = check.apply(bundles);
            }
        });
    }

    /**
     * What {@code msf:rollback} returns to, the version before the last update, with the parameters it
     * ran with: while the last update or change failed (the service FAILED, another version or other
     * parameters configured than run), the version that keeps serving, so that a rollback undoes the
     * failed change, not the update before it; otherwise the version the last swap replaced.
     */
    Optional<ServiceSpec> rollbackTarget(String name) {
        Deployment d = deployments.get(name);
        if (d == null) {
            return Optional.empty();
        }
        ServiceSpec running = d.running;
        ServiceSpec failed = d.attempted;
        if (d.phase == Phase.FAILED && d.stoppedWith == null && running != null && failed != null
                && (!running.sameBundles(failed) || !running.sameParams(failed))) {
            return Optional.of(running);
        }
        return Optional.ofNullable(d.previous);
    }

    Optional<ServiceSpec> previous(String name) {
        Deployment d = deployments.get(name);
        return d == null ? Optional.empty() : Optional.ofNullable(d.previous);
    }

    /**
     * Whether every change known for the service is carried out (see {@link DeploySources#changeCount}).
     * A service no source names any more is settled once a pass has forgotten it: one of which nothing
     * runs (FAILED, DISABLED) is still listed until then, and the pass may not be asked for yet (Config
     * Admin tells of a deleted configuration on a thread of its own).
     */
    boolean settled(String name, long changeCount) {
        if (dirty.get() || busy) {
            return false;
        }
        Deployment d = deployments.get(name);
        return changeCount < 0 ? d == null : d != null && d.appliedChangeCount == changeCount;
    }
}
