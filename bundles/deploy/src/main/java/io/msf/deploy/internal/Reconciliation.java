package io.msf.deploy.internal;

import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.service.log.Logger;

/**
 * Brings what runs to what is configured, one service at a time, on the deployer's single thread:
 * plans each service ({@link Plan}) and carries the plan out. A failed change leaves the version
 * before it serving, and says why (log, {@code msf:list}, {@code msf/deploy/FAILED}).
 *
 * <p>What serves after each change, and the change that failed after it, is kept on disk
 * ({@link ServiceRecords}), so that a container started afresh installs the version that served
 * rather than a configuration that is known to fail, as the deployer before it did.
 */
final class Reconciliation {

    private final VersionControl versions;
    private final VersionControl.Params params;
    private final JarRetry jarRetry;
    private final Adoption adoption;
    private final Failures failures;
    private final StoppedByHand stoppedByHand;
    private final ServiceRecords records;
    private final DeployEvents events;
    private final Logger log;
    private final Clock clock;
    private final Map<String, Deployment> deployments = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private volatile boolean busy;

    Reconciliation(VersionControl versions, VersionControl.Params params, JarStamps jars, ServiceRecords records,
            DeployEvents events, Logger log, Clock clock) {
        this.versions = versions;
        this.params = params;
        this.jarRetry = new JarRetry(jars, log);
        this.adoption = new Adoption(versions, params, records, log, clock);
        this.failures = new Failures(events, log, clock);
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
            for (String name : names) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                reconcile(name, desired.get(name));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("deployer: reconciliation failed: {}", e.toString(), e);
        } finally {
            busy = false;
        }
    }

    private void reconcile(String name, Desired desired) throws InterruptedException {
        Deployment d = deployments.get(name);
        if (d != null && d.bundles.stream().anyMatch(b -> b.getState() == Bundle.UNINSTALLED)) {
            // uninstalled by someone else (console, another tool): what runs is nothing, install again
            log.warn("{}: bundles {} were uninstalled outside the deployer", name, d.bundles);
            stoppedByHand.forget(d);
            versions.remove(d.bundles.stream().filter(b -> b.getState() != Bundle.UNINSTALLED).toList());
            removeParams(d.bundles);
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
                bringBack(d, ran, tried, problem);
            }
        }
        if (stoppedByHand.leftStopped(d, desired)) {
            return;
        }
        if (desired != null && desired.refused()) {
            d = deployments.computeIfAbsent(name, n -> new Deployment(n, clock.instant()));
            if (!desired.problem().equals(d.problem)) {
                d.problem = desired.problem();
                log.error("{}: {}; {}", name, desired.problem(), d.serving());
                events.post(Deployer.TOPIC_FAILED, name, d.version(), desired.problem());
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
            try {
                if (record.isPresent()) {
                    restore(d, spec, record.get());
                } else {
                    execute(d, spec, plan);
                }
            } finally {
                d.activity = "";
            }
        }
        if (d != null) {
            d.appliedChangeCount = desired == null ? -1 : desired.changeCount();
            settle(d, spec);
        }
    }

    /**
     * Installs again the version that served before its bundles were uninstalled outside the
     * deployer, when what is configured is not to be tried: a configuration that failed (a swap or
     * a live change) or one that is refused. The service stays FAILED as it was; were the
     * configuration installed instead, nothing of the service would run. If the version cannot be
     * installed again, the pass goes on as for a service of which nothing runs.
     */
    private void bringBack(Deployment d, ServiceSpec ran, ServiceSpec tried, String problem)
            throws InterruptedException {
        try {
            if (bringUpGood(d, ran, "").isEmpty()) {
                d.attempted = tried;
                d.problem = problem;
                d.enter(Phase.FAILED, clock.instant());
            }
        } finally {
            d.activity = "";
        }
    }

    private void execute(Deployment d, ServiceSpec spec, Plan plan) throws InterruptedException {
        switch (plan.step()) {
            case INSTALL -> install(d, spec, "");
            case SWAP -> swap(d, spec);
            case UNINSTALL -> uninstall(d);
            case NONE -> {
                // a configuration whose parameters are refused changes nothing else either
                if ((!plan.reconfigure() || reconfigure(d, spec)) && plan.startLevel()) {
                    changeStartLevel(d, spec);
                }
            }
        }
    }

    /** @param besides what else failed before, said after the reason if this fails too; empty if nothing */
    private void install(Deployment d, ServiceSpec spec, String besides) throws InterruptedException {
        String reason = tryInstall(d, spec);
        if (!reason.isEmpty()) {
            failures.fail(d, "install of " + spec.locations() + " failed: " + reason + besides);
        }
    }

    /** Installs the spec, nothing of the service running; returns why it failed, empty if it serves. */
    private String tryInstall(Deployment d, ServiceSpec spec) throws InterruptedException {
        jarRetry.watchTried(d, spec);
        try {
            List<Bundle> bundles = bringUpAlone(d, spec);
            d.problem = "";
            records.write(new ServiceRecord(spec, null));
            log.info("{}: {} installed and serving", d.name, bundles);
            events.post(Deployer.TOPIC_INSTALLED, d.name, d.version(), "");
            return "";
        } catch (DeployException e) {
            keepParamsOnlyOf(d.name, List.of()); // nothing of it runs
            return e.getMessage();
        }
    }

    /** Installs and starts {@code spec} with nothing of the service running, and makes it the running version. */
    private List<Bundle> bringUpAlone(Deployment d, ServiceSpec spec) throws DeployException, InterruptedException {
        d.attempted = spec;
        d.enter(Phase.INSTALLING, clock.instant());
        List<Bundle> bundles = versions.bringUp(spec, generation.incrementAndGet(), List.of(),
                installed -> giveParams(spec, installed), d.progress());
        versions.release(bundles);
        d.bundles = bundles;
        d.running = spec;
        d.health = "UP";
        return bundles;
    }

    /**
     * The first install of a service in a container started afresh, with what a deployer before this
     * one kept of it. A configuration that failed then is not tried again: the last good state is
     * installed instead and the service is FAILED as it was. Another configuration (changed while the
     * container was down) is tried, and if it fails the last good state is installed, as a failed swap
     * leaves the version before it serving. A last good state that cannot be installed again (its jar
     * is gone) is reported, and the configuration tried as if nothing had been kept.
     */
    private void restore(Deployment d, ServiceSpec spec, ServiceRecord record) throws InterruptedException {
        ServiceSpec good = record.good();
        ServiceRecord.Failure failed = record.failed();
        if (spec.equals(good)) {
            install(d, spec, "");
            return;
        }
        if (failed != null && spec.equals(failed.spec())) {
            String problem = bringUpGood(d, good, "; trying the configuration, which failed before the restart");
            d.attempted = spec;
            jarRetry.watchTried(d, spec); // its jars as they are now: one still being written is tried once it is complete
            if (problem.isEmpty()) {
                failures.fail(d, failed.what() + " before the restart: " + failed.reason() + "; " + d.serving()
                        + (spec.sameParams(good) ? "" : " with the parameters it had"));
                return;
            }
            install(d, spec, "; the last good version " + good.locations() + " cannot be installed again: " + problem);
            return;
        }
        String reason = tryInstall(d, spec);
        if (reason.isEmpty()) {
            return;
        }
        String what = "update to " + spec.locations() + " failed";
        String problem = bringUpGood(d, good, "");
        d.attempted = spec;
        if (problem.isEmpty()) {
            failures.fail(d, what + ": " + reason + "; " + d.serving()
                    + (spec.sameParams(good) ? "" : " with the parameters it had"));
            records.write(record.withFailure(new ServiceRecord.Failure(spec, what, reason)));
        } else {
            failures.fail(d, "install of " + spec.locations() + " failed: " + reason + "; the last good version "
                    + good.locations() + " cannot be installed again: " + problem);
        }
    }

    /**
     * Installs the last good state kept of the service, nothing else running; returns why it could
     * not, empty if it serves.
     *
     * @param otherwise what is done if it cannot, for the log
     */
    private String bringUpGood(Deployment d, ServiceSpec good, String otherwise) throws InterruptedException {
        try {
            List<Bundle> bundles = bringUpAlone(d, good);
            log.info("{}: the last good version {} installed again and serving ({})", d.name, good.locations(),
                    bundles);
            return "";
        } catch (DeployException e) {
            keepParamsOnlyOf(d.name, List.of());
            log.error("{}: the last good version {} cannot be installed again: {}{}", d.name, good.locations(),
                    e.getMessage(), otherwise);
            return e.getMessage();
        }
    }

    /**
     * The new version is given its parameters before it starts, in configurations of its own: the old
     * version's are not touched, so it serves with the parameters it has until it is removed, and
     * keeps them if the new version fails.
     */
    private void swap(Deployment d, ServiceSpec spec) throws InterruptedException {
        d.attempted = spec;
        jarRetry.watchTried(d, spec);
        d.enter(Phase.SWAPPING, clock.instant());
        ServiceSpec before = d.running;
        List<Bundle> tried = new ArrayList<>();
        try {
            List<Bundle> old = d.bundles;
            List<Bundle> fresh = versions.bringUp(spec, generation.incrementAndGet(), old, installed -> {
                tried.addAll(installed);
                giveParams(spec, installed);
            }, d.progress());
            String oldVersion = d.version();
            versions.release(fresh); // new requests go to the new version from here on
            d.bundles = fresh;
            d.running = spec;
            d.previous = before;
            d.previousVersion = oldVersion;
            d.problem = "";
            d.health = "UP";
            records.write(new ServiceRecord(spec, null));
            d.activity = "draining " + oldVersion;
            int left = versions.drain(old, spec.drainTimeout());
            if (left > 0) {
                log.warn("{}: {} still had {} requests after drainTimeoutMillis={}; stopped anyway", d.name, old, left,
                        spec.drainTimeout().toMillis());
            }
            d.activity = "removing " + oldVersion;
            versions.remove(old);
            keepParamsOnlyOf(d.name, fresh);
            log.info("{}: swapped {} -> {} ({})", d.name, oldVersion, d.version(), fresh);
            events.post(Deployer.TOPIC_UPDATED, d.name, d.version(), "");
        } catch (DeployException e) {
            String what = "update to " + spec.locations() + " failed";
            failures.fail(d, what + ": " + e.getMessage() + "; " + d.serving()
                    + (spec.sameParams(before) ? "" : " with the parameters it had"));
            keepFailure(d, spec, what, e.getMessage());
            removeParams(tried);
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

    private void uninstall(Deployment d) throws InterruptedException {
        d.activity = "stopping";
        String version = d.version();
        versions.remove(d.bundles);
        keepParamsOnlyOf(d.name, List.of());
        log.info("{}: {} stopped and uninstalled", d.name, d.bundles);
        d.bundles = List.of();
        d.running = null;
        d.attempted = null;
        d.previous = null;
        d.previousVersion = "";
        records.delete(d.name); // undeployed or disabled: nothing to serve after a restart either
        events.post(Deployer.TOPIC_UNINSTALLED, d.name, version, "");
    }

    /**
     * Gives the running version the spec's parameters live; false if they were refused or not taken
     * (the service FAILED). A change that cannot be written (the PID has a configuration of its own
     * elsewhere), or that a component does not take (it fails to activate again with it, its modified
     * method throws, it is left waiting for a reference, or the version's health fails; after a change
     * of {@code pid}, one that read the old PID is down without it), fails the service like a failed
     * swap: shown, logged and posted once, and not tried again until the configuration changes, so
     * that {@code msf:param set} reports it instead of success. A change that was not taken is undone:
     * the version is given back the parameters it had.
     */
    private boolean reconfigure(Deployment d, ServiceSpec spec) throws InterruptedException {
        d.attempted = spec;
        d.activity = "applying parameters";
        try {
            // a change of pid deletes the version's configuration under the old one: its readers must stay up
            String left = d.running.pid().equals(spec.pid()) ? null : d.running.pid();
            if (versions.reconfigure(spec, d.running.params(), left, d.bundles, () -> params.apply(spec, d.bundles),
                    d.progress())) {
                log.info("{}: parameters changed in {}: {}", d.name, spec.pid(), spec.params().keySet());
            }
            d.running = spec.withBundles(d.running.locations(), d.running.version());
            records.write(new ServiceRecord(d.running, null));
            // only the running version is left to read any; an earlier deployer's plain-PID one goes too
            keepParamsOnlyOf(d.name, d.bundles);
            return true;
        } catch (VersionControl.PartlyWritten e) {
            // some bundles have them, the others not: the version is given back what it had, all of it
            failures.fail(d, "parameters not applied: " + e.getMessage() + "; written for " + e.written() + " before that; "
                    + giveBack(d, spec));
            keepFailure(d, spec, "parameters not applied", e.getMessage());
            return false;
        } catch (IOException e) {
            failures.fail(d, "parameters not applied: " + e.getMessage() + "; " + d.serving() + " with the parameters it had");
            keepFailure(d, spec, "parameters not applied", e.getMessage());
            return false;
        } catch (DeployException e) {
            failures.fail(d, "parameters not taken: " + e.getMessage() + "; " + giveBack(d, spec));
            keepFailure(d, spec, "parameters not taken", e.getMessage());
            return false;
        }
    }

    /**
     * Writes the running version's own parameters back in place of the refused ones (what went to
     * another PID is deleted with it, {@link VersionControl.Params#apply}), and waits for its
     * components to take them as for any change: DS calls the modified method again or activates the
     * component again. Says how the version is then. Tried once: a version that fails with the
     * parameters it had too is left as it is, and shown so.
     */
    private String giveBack(Deployment d, ServiceSpec refused) throws InterruptedException {
        ServiceSpec had = d.running;
        d.activity = "giving back the parameters it had";
        try {
            // the components of a refused pid are left as they were before it: one that needs it is down again
            versions.reconfigure(had, refused.params(), null, d.bundles, () -> params.apply(had, d.bundles),
                    d.progress());
            return d.serving() + " with the parameters it had";
        } catch (IOException e) {
            return "the parameters it had could not be written back to version " + d.version() + ": "
                    + e.getMessage();
        } catch (DeployException e) {
            return "the parameters it had were given back to version " + d.version() + " and it still fails: "
                    + e.getMessage();
        }
    }

    private void changeStartLevel(Deployment d, ServiceSpec spec) {
        versions.setStartLevel(d.bundles, spec.startLevel());
        d.running = new ServiceSpec(d.name, d.running.locations(), d.running.version(), spec.startLevel(),
                true, d.running.pid(), d.running.healthTimeout(), d.running.drainTimeout(), d.running.params());
        records.write(new ServiceRecord(d.running, null));
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
     * Keeps on disk, beside what runs, the change that failed; a service of which nothing runs keeps
     * what it had (a restart then tries its configuration as today).
     */
    private void keepFailure(Deployment d, ServiceSpec failed, String what, String reason) {
        if (d.running != null) {
            records.write(new ServiceRecord(d.running, new ServiceRecord.Failure(failed, what, reason)));
        }
    }

    /** Before a version starts, so that its components activate with its parameters. */
    private void giveParams(ServiceSpec spec, List<Bundle> installed) throws DeployException {
        try {
            params.apply(spec, installed);
        } catch (IOException e) {
            throw new DeployException("parameters not written: " + e.getMessage(), e);
        }
    }

    /** The parameters of bundles that are gone go with them. */
    private void removeParams(List<Bundle> gone) {
        try {
            params.discard(gone);
        } catch (IOException e) {
            log.warn("deployer: parameters of {} not deleted: {}", gone, e.getMessage());
        }
    }

    private void keepParamsOnlyOf(String name, List<Bundle> running) {
        try {
            params.keepOnly(name, running);
        } catch (IOException e) {
            log.warn("{}: parameters of versions no longer running not deleted: {}", name, e.getMessage());
        }
    }

    // ---- for the Deployer service ----

    List<ServiceState> states() {
        return deployments.values().stream().map(d -> d.snapshot(versions.inFlight(d.bundles))).toList();
    }

    /** Asks again how each running version is, for {@code msf:list}: the gate's verdict is only a start. */
    void checkHealth(java.util.function.Function<List<Bundle>, String> check) {
        deployments.values().forEach(d -> {
            List<Bundle> bundles = d.bundles;
            if (!bundles.isEmpty() && d.activity.isEmpty() && d.stoppedWith == null) {
                d.health = check.apply(bundles);
            }
        });
    }

    Optional<ServiceSpec> previous(String name) {
        Deployment d = deployments.get(name);
        return d == null ? Optional.empty() : Optional.ofNullable(d.previous);
    }

    /** Whether every change known for the service is carried out (see {@link DeploySources#changeCount}). */
    boolean settled(String name, long changeCount) {
        if (dirty.get() || busy) {
            return false;
        }
        Deployment d = deployments.get(name);
        return changeCount < 0 ? d == null || d.running == null : d != null && d.appliedChangeCount == changeCount;
    }
}
