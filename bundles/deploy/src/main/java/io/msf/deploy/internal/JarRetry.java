package io.msf.deploy.internal;

import io.msf.deploy.api.ServiceState.Phase;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import org.osgi.service.log.Logger;

/**
 * Tries again an install or swap that failed once its jars have changed: a jar still being written
 * when it was tried, now complete. Each version tried keeps its watched jars ({@link JarStamps}) as
 * they were before it read them; a failed one is tried again once one of them has changed since and
 * stayed the same from one look to the next, as FileInstall takes a jar of its folders.
 */
final class JarRetry {

    private final JarStamps jars;
    private final Logger log;

    JarRetry(JarStamps jars, Logger log) {
        this.jars = jars;
        this.log = log;
    }

    /** Keeps the watched jars of a version about to be tried as they are before it reads them. */
    void watchTried(Deployment d, ServiceSpec spec) {
        d.triedJars = jars.of(spec);
        d.lastLook = null;
    }

    /**
     * Watches the jars of a configuration that failed before this deployer started from the state it
     * read them in, kept with the failure: one that changed since (completed while the container was
     * down) is tried again once it stays the same. A failure kept without them (by a deployer before
     * these were kept) is watched from the jars as they are now: a later change tries it again.
     */
    void watchFailed(Deployment d, ServiceRecord.Failure failed) {
        if (failed.jars().isEmpty()) {
            watchTried(d, failed.spec());
        } else {
            d.triedJars = failed.jars();
            d.lastLook = null;
        }
    }

    /**
     * Has the next pass try again each install or swap that failed whose watched jars changed since
     * it was tried and stayed the same from the last look to this one. The version that serves keeps
     * serving meanwhile, and a jar that still fails leaves the service FAILED with the new reason,
     * tried again at its next change. Called on the deployer's thread, between passes.
     *
     * @return whether a pass is needed
     */
    boolean retryChanged(Collection<Deployment> deployments) {
        boolean retry = false;
        for (Deployment d : deployments) {
            Map<Path, JarStamps.Stamp> tried = d.triedJars;
            ServiceSpec failed = d.attempted;
            if (tried.isEmpty() || d.phase != Phase.FAILED || failed == null || d.stoppedWith != null
                    || (d.running != null && d.running.sameBundles(failed))) {
                continue;
            }
            Map<Path, JarStamps.Stamp> now = JarStamps.look(tried.keySet());
            Map<Path, JarStamps.Stamp> before = d.lastLook;
            d.lastLook = now;
            if (!now.equals(tried) && now.equals(before)) {
                log.info("{}: {} changed since {} failed, and stays the same: trying it again", d.name,
                        new TreeSet<>(now.keySet().stream().filter(f -> !now.get(f).equals(tried.get(f)))
                                .map(Object::toString).toList()), failed.locations());
                d.attempted = d.running; // the plan tries the configuration again
                d.triedJars = Map.of();
                retry = true;
            }
        }
        return retry;
    }
}
