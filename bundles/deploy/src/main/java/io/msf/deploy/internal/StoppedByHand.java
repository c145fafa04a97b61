package io.msf.deploy.internal;

import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState.Phase;
import java.time.Clock;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.service.log.Logger;

/**
 * A bundle of the running version stopped by hand ({@code stop <id>} in the console, another
 * tool) leaves the service FAILED, said once (log, {@code msf:list}, {@code msf/deploy/FAILED}),
 * and stopped: the deployer does not undo an operator's stop. A change of the service's source
 * (its configuration changed or written again: an edit, {@code msf:deploy}, {@code msf:update},
 * {@code msf:param set}; another jar in the deploy folder) starts the bundles again, and is then
 * carried out; a bundle started again by hand makes the service what it was before the stop.
 * Disabling or removing the service uninstalls it as ever.
 */
final class StoppedByHand {

    private final VersionControl versions;
    private final Failures failures;
    private final DeployEvents events;
    private final Logger log;
    private final Clock clock;

    StoppedByHand(VersionControl versions, Failures failures, DeployEvents events, Logger log, Clock clock) {
        this.versions = versions;
        this.failures = failures;
        this.events = events;
        this.log = log;
        this.clock = clock;
    }

    /** @return whether the service is left as it is in this pass */
    boolean leftStopped(Deployment d, Desired desired) throws InterruptedException {
        if (d == null || d.bundles.isEmpty()) {
            return false;
        }
        List<Bundle> stopped = d.bundles.stream().filter(versions::stoppedByHand).toList();
        if (stopped.isEmpty()) {
            if (d.stoppedWith != null) {
                log.info("{}: {} started again outside the deployer", d.name, d.bundles);
                startedAgain(d);
            }
            return false;
        }
        if (desired == null || (!desired.refused() && !desired.spec().enabled())) {
            return false; // uninstalled by the plan
        }
        if (d.stoppedWith == null) {
            d.stoppedWith = desired;
            d.problemBeforeStop = d.problem;
            d.problem = (stopped.size() == 1 ? "bundle " : "bundles ")
                    + String.join(", ", stopped.stream().map(Versions::describe).toList())
                    + " stopped by hand; the service is started again when its configuration changes, or by hand";
            d.health = "";
            d.enter(Phase.FAILED, clock.instant());
            log.warn("{}: {}", d.name, d.problem);
            events.post(Deployer.TOPIC_FAILED, d.name, d.version(), d.problem);
        } else if (!desired.equals(d.stoppedWith)) {
            d.activity = "starting again";
            try {
                versions.startAgain(d.running, d.bundles, d.progress());
                log.info("{}: {} started again as its configuration changed", d.name, d.bundles);
                startedAgain(d);
                return false;
            } catch (DeployException e) {
                d.stoppedWith = desired;
                failures.fail(d, "stopped by hand, and does not start again: " + e.getMessage());
            } finally {
                d.activity = "";
            }
        }
        d.appliedChangeCount = desired.changeCount();
        return true;
    }

    /** What was stopped is gone (uninstalled outside the deployer): the service is as it was before the stop. */
    void forget(Deployment d) {
        if (d.stoppedWith != null) {
            d.stoppedWith = null;
            d.problem = d.problemBeforeStop;
        }
    }

    private static void startedAgain(Deployment d) {
        d.stoppedWith = null;
        d.problem = d.problemBeforeStop;
        d.health = "UP";
    }
}
