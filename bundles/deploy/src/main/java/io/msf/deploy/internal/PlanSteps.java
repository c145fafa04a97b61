package io.msf.deploy.internal;

import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState.Phase;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.osgi.service.log.Logger;

/**
 * Carries out the step a {@link Plan} says for one service: installs it, swaps it to a new version,
 * uninstalls it, or changes the running version's parameters and start level live. A failed step
 * leaves the version before it serving and says why ({@link Failures}); what serves after each
 * step, and the change that failed beside it, is kept on disk ({@link ServiceRecords}).
 */
final class PlanSteps {

    private final VersionControl versions;
    private final VersionControl.Params params;
    private final ServiceRecords records;
    private final JarRetry jarRetry;
    private final Failures failures;
    private final DeployEvents events;
    private final Logger log;
    private final Clock clock;
    /** Of the versions installed: each new one gets the next, so that its bundles' locations are its own. */
    private final AtomicLong generation;
    /** The keys of a PID typed PASSWORD ({@link ParamChanges}). */
    private final Function<String, Set<String>> passwords;

    PlanSteps(VersionControl versions, VersionControl.Params params, ServiceRecords records, JarRetry jarRetry,
            Failures failures, DeployEvents events, Function<String, Set<String>> passwords, Logger log, Clock clock,
            AtomicLong generation) {
        this.passwords = passwords;
        this.versions = versions;
        this.params = params;
        this.records = records;
        this.jarRetry = jarRetry;
        this.failures = failures;
        this.events = events;
        this.log = log;
        this.clock = clock;
        this.generation = generation;
    }

    void execute(Deployment d, ServiceSpec spec, Plan plan) throws InterruptedException {
        switch (plan.step()) {
            case INSTALL -> install(d, spec, "");
            case SWAP -> swap(d, spec);
            case UNINSTALL -> uninstall(d, spec);
            case NONE -> {
                // a configuration whose parameters are refused changes nothing else either
                if ((!plan.reconfigure() || reconfigure(d, spec)) && (plan.startLevel() || plan.limits())) {
                    changeSettings(d, spec, plan);
                }
            }
        }
    }

    /** @param besides what else failed before, said after the reason if this fails too; empty if nothing */
    void install(Deployment d, ServiceSpec spec, String besides) throws InterruptedException {
        String reason = tryInstall(d, spec);
        if (!reason.isEmpty()) {
            failures.fail(d, "install of " + spec.locations() + from(d) + " failed: " + reason + besides);
        }
    }

    /** Installs the spec, nothing of the service running; returns why it failed, empty if it serves. */
    String tryInstall(Deployment d, ServiceSpec spec) throws InterruptedException {
        jarRetry.watchTried(d, spec);
        try {
            List<Bundle> bundles = bringUpAlone(d, spec);
            d.problem = "";
            records.write(record(d, spec, null));
            log.info("{}: {} installed and serving", d.name, bundles);
            events.post(Deployer.TOPIC_INSTALLED, d.name, d.version(), "");
            return "";
        } catch (DeployException e) {
            keepParamsOnlyOf(d.name, List.of()); // nothing of it runs
            return e.getMessage();
        }
    }

    /** Installs and starts {@code spec} with nothing of the service running, and makes it the running version. */
    List<Bundle> bringUpAlone(Deployment d, ServiceSpec spec) throws DeployException, InterruptedException {
        d.attempted = spec;
        d.enter(Phase.INSTALLING, clock.instant());
        List<Bundle> bundles = bringUp(d, spec, List.of(), installed -> giveParams(spec, installed));
        // running before released: a container stop reads it then, and drains it if it was released
        d.bundles = bundles;
        d.running = spec;
        versions.release(bundles);
        d.health = "UP";
        return bundles;
    }

    /**
     * {@link VersionControl#bringUp}, an unchecked exception out of it (a health check that returned
     * null while the monitor is not running, SCR going away under a readiness check) made a failure of
     * the version like any other, the version before it serving: let through, it ended the whole pass,
     * the service left SWAPPING or INSTALLING with no reason and the tried version's parameters behind,
     * the services after it not deployed. Its stack trace goes to the log.
     */
    private List<Bundle> bringUp(Deployment d, ServiceSpec spec, List<Bundle> replacing,
            VersionControl.BeforeStart beforeStart) throws DeployException, InterruptedException {
        try {
            return versions.bringUp(spec, generation.incrementAndGet(), replacing, beforeStart, d.progress());
        } catch (RuntimeException e) {
            log.error("{}: bringing up {} threw", d.name, spec.locations(), e);
            throw new DeployException(e.toString(), e);
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
            List<Bundle> fresh = bringUp(d, spec, old, installed -> {
                tried.addAll(installed);
                giveParams(spec, installed);
            });
            String oldVersion = d.version();
            d.draining = old; // first: a container stop from here on drains it, whatever it reads
            try {
                // running before released: a container stop reads it then, and drains it if it was released
                d.bundles = fresh;
                d.running = spec;
                if (!versions.release(fresh)) {
                    // The container began to stop before the new version could take a request: the old one
                    // is the version its drain keeps serving in-container callers, and it goes with the
                    // framework's stop, as the new one does. Nothing recorded: the next start tries again.
                    d.bundles = old;
                    d.running = before;
                    log.info("{}: the container stops: {} is not swapped in, {} serves until it stops", d.name,
                            fresh, oldVersion);
                    return;
                }
                if (!versions.containerStopping()) {
                    // New requests go to the new version from here on, and to it alone: released, it comes
                    // first among handlers of equal service.ranking only; one that ranks lower than the old
                    // would get nothing, and the old version's drain would never end. (A stop begun since
                    // has the old one drained, held from outside only: it serves in-container callers.)
                    versions.hold(old);
                }
                d.previous = before;
                d.previousVersion = oldVersion;
                d.problem = "";
                d.health = "UP";
                records.write(record(d, spec, null));
                drain(d, oldVersion, old, spec.drainTimeout());
            } finally {
                d.draining = List.of();
            }
            d.activity = "removing " + oldVersion;
            versions.remove(old);
            keepParamsOnlyOf(d.name, fresh);
            log.info("{}: swapped {} -> {} ({})", d.name, oldVersion, d.version(), fresh);
            events.post(Deployer.TOPIC_UPDATED, d.name, d.version(), "");
        } catch (DeployException e) {
            String what = "update to " + spec.locations() + from(d) + " failed";
            failures.fail(d, what + ": " + e.getMessage() + "; " + d.serving()
                    + (spec.sameParams(before) ? "" : " with the parameters it had"));
            keepFailure(d, new ServiceRecord.Failure(spec, what, e.getMessage(), d.triedJars));
            removeParams(tried);
        }
    }

    /**
     * Waits until a version that takes no new request has answered those it has, at most
     * {@code limit}; says in the log what it still had then: it is stopped anyway.
     */
    private void drain(Deployment d, String version, List<Bundle> bundles, Duration limit) throws InterruptedException {
        d.activity = "draining " + version;
        int left = versions.drain(bundles, limit);
        if (left > 0) {
            log.warn("{}: {} still had {} requests after drainTimeoutMillis={}; stopped anyway", d.name, bundles, left,
                    limit.toMillis());
        }
    }

    /** {@code " from deploy/x.jar"} for a service of the deploy folder, whose locations are copies of it; else empty. */
    private static String from(Deployment d) {
        return d.droppedJar.isEmpty() ? "" : " from " + d.droppedJar;
    }

    /**
     * Drains the service before it goes, as the old version of a swap: it takes no new request (a
     * request to its name now gets no route), and answers those it has, at most its
     * {@code drainTimeoutMillis}. Stopped at once, a service that ends its work as it stops (closes
     * its executor, fails what is pending) would fail every request it has. The wait is the one the
     * configuration asks for now ({@code enabled = false, drainTimeoutMillis = 0} stops a service
     * with a stuck request at once), else, the configuration deleted, the one it ran with.
     */
    private void uninstall(Deployment d, ServiceSpec spec) throws InterruptedException {
        String version = d.version();
        if (d.running != null && !d.bundles.isEmpty()) {
            versions.hold(d.bundles);
            try {
                drain(d, version, d.bundles, spec != null ? spec.drainTimeout() : d.running.drainTimeout());
            } catch (InterruptedException e) {
                // the deployer stops: the service keeps running, as every deployed one does, and a
                // deployer adopting it must find it taking requests, not held with no one to release it
                versions.release(d.bundles);
                throw e;
            }
        }
        d.activity = "stopping";
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
                log.info("{}: parameters changed in {}: {}", d.name, spec.pid(), changed(d.running, spec));
            }
            d.running = spec.withBundles(d.running.locations(), d.running.version());
            records.write(record(d, d.running, null));
            // only the running version is left to read any; an earlier deployer's plain-PID one goes too
            keepParamsOnlyOf(d.name, d.bundles);
            return true;
        } catch (VersionControl.PartlyWritten e) {
            // some bundles have them, the others not: the version is given back what it had, all of it
            failures.fail(d, "parameters not applied: " + e.getMessage() + "; written for " + e.written() + " before that; "
                    + giveBack(d, spec));
            keepFailure(d, new ServiceRecord.Failure(spec, "parameters not applied", e.getMessage()));
            return false;
        } catch (IOException e) {
            failures.fail(d, "parameters not applied: " + e.getMessage() + "; " + d.serving() + " with the parameters it had");
            keepFailure(d, new ServiceRecord.Failure(spec, "parameters not applied", e.getMessage()));
            return false;
        } catch (DeployException e) {
            failures.fail(d, "parameters not taken: " + e.getMessage() + "; " + giveBack(d, spec));
            keepFailure(d, new ServiceRecord.Failure(spec, "parameters not taken", e.getMessage()));
            return false;
        }
    }

    /**
     * What {@code spec} changes of the running version's parameters, for the log: only what differs, a
     * password of either PID hidden.
     */
    private String changed(ServiceSpec running, ServiceSpec spec) {
        Set<String> hidden = new HashSet<>(passwords.apply(running.pid()));
        hidden.addAll(passwords.apply(spec.pid()));
        String keys = ParamChanges.describe(running.params(), spec.params(), hidden);
        String moved = running.pid().equals(spec.pid()) ? "" : "moved from " + running.pid();
        return moved.isEmpty() || keys.isEmpty() ? moved + keys : moved + "; " + keys;
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

    /**
     * Takes the start level and time limits the configuration gives into the running version, which
     * needs no new bundles for them. Kept with the limits it was installed with, a version went on
     * draining (undeployed, the container stopping) for as long as its old drainTimeoutMillis said.
     */
    private void changeSettings(Deployment d, ServiceSpec spec, Plan plan) {
        if (plan.startLevel()) {
            versions.setStartLevel(d.bundles, spec.startLevel());
        }
        d.running = new ServiceSpec(d.name, d.running.locations(), d.running.version(), spec.startLevel(),
                true, d.running.pid(), spec.healthTimeout(), spec.drainTimeout(), d.running.params());
        records.write(record(d, d.running, null));
    }

    /**
     * Keeps on disk, beside what runs, the change that failed; a service of which nothing runs keeps
     * what it had (a restart then tries its configuration as today).
     */
    void keepFailure(Deployment d, ServiceRecord.Failure failure) {
        if (versions.containerStopping()) {
            // Most likely the stop cut it (no bundle can be installed or started any more); kept, it would
            // keep the version from being tried again at the next start. A failure of the version's own then
            // is tried once more.
            log.warn("{}: '{}' not kept as a failure, the container stops: the next start tries this change again",
                    d.name, failure.what());
            return;
        }
        if (d.running != null) {
            records.write(record(d, d.running, failure));
        }
    }

    /** What is kept of the service, with the jar of the deploy folder it was taken from, if it was. */
    private static ServiceRecord record(Deployment d, ServiceSpec good, ServiceRecord.Failure failure) {
        return new ServiceRecord(good, failure, d.droppedJar);
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
    void removeParams(List<Bundle> gone) {
        try {
            params.discard(gone);
        } catch (IOException e) {
            log.warn("deployer: parameters of {} not deleted: {}", gone, e.getMessage());
        }
    }

    void keepParamsOnlyOf(String name, List<Bundle> running) {
        try {
            params.keepOnly(name, running);
        } catch (IOException e) {
            log.warn("{}: parameters of versions no longer running not deleted: {}", name, e.getMessage());
        }
    }
}
