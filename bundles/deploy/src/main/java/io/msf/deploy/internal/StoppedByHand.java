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
 * carried out; a bundle started again by hand makes the service what it was before the stop, once
 * it is ACTIVE: one whose start by hand failed (its activator threw) leaves the service FAILED,
 * saying so, and one stopped by hand again after that says it was stopped. One started by hand
 * with lazy activation waits in STARTING for the first load of a class from it: the service then
 * says so (FAILED still, as nothing of it ran yet, but not stopped) and is what it was once the
 * bundle is ACTIVE. A start by hand still going on (a slow activator) is judged once it has ended,
 * ACTIVE or not: the bundle event that ends it makes a pass. Disabling or removing the service
 * uninstalls it as ever.
 */
final class StoppedByHand {

    private static final String UNTIL = "; the service is started again when its configuration changes, or by hand";
    private static final String NOT_ACTIVE = " started by hand, and not ACTIVE";
    private static final String LAZY = " started by hand with lazy activation: ACTIVE at the first load of a class"
            + " from it";

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
        if (stopped.isEmpty() && d.stoppedWith == null) {
            return false;
        }
        // started by hand, a bundle whose activator throws is left RESOLVED: it runs no more than before
        List<Bundle> down = d.bundles.stream().filter(b -> !versions.active(b)).toList();
        if (down.isEmpty()) {
            log.info("{}: {} started again outside the deployer", d.name, d.bundles);
            startedAgain(d);
            return false;
        }
        if (desired == null || (!desired.refused() && !desired.spec().enabled())) {
            // uninstalled by the plan, and the stop with it: a version installed later is not stopped
            forget(d);
            return false;
        }
        List<Bundle> lazy = down.stream().filter(versions::awaitingLazyActivation).toList();
        if (d.stoppedWith != null && !lazy.isEmpty() && lazy.size() == down.size() && desired.equals(d.stoppedWith)) {
            // started, not stopped: said without a new failure, as the wait may last; its STARTED makes a pass
            if (!d.problem.equals(bundles(lazy) + LAZY)) {
                d.problem = bundles(lazy) + LAZY;
                log.info("{}: {}", d.name, d.problem);
            }
            d.appliedChangeCount = desired.changeCount();
            return true;
        }
        if (d.stoppedWith != null && d.bundles.stream().anyMatch(versions::starting)) {
            return true; // started by hand, not ACTIVE yet: judged at the pass its STARTED or STOPPED makes
        }
        if (d.stoppedWith == null) {
            d.stoppedWith = desired;
            d.problemBeforeStop = d.problem;
            d.health = "";
            say(d, bundles(stopped) + " stopped by hand" + UNTIL);
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
        } else if (stopped.isEmpty() && !d.problem.equals(bundles(down) + NOT_ACTIVE + UNTIL)) {
            say(d, bundles(down) + NOT_ACTIVE + UNTIL);
        } else if (!stopped.isEmpty() && (d.problem.endsWith(NOT_ACTIVE + UNTIL) || d.problem.endsWith(LAZY))) {
            // stopped by hand again after a start by hand that failed: not what a failed start again says
            say(d, bundles(stopped) + " stopped by hand" + UNTIL);
        }
        d.appliedChangeCount = desired.changeCount();
        return true;
    }

    /** Shown, logged and posted: what is found of the stop, once each time it changes. */
    private void say(Deployment d, String problem) {
        d.problem = problem;
        d.enter(Phase.FAILED, clock.instant());
        log.warn("{}: {}", d.name, problem);
        events.post(Deployer.TOPIC_FAILED, d.name, d.version(), problem);
    }

    private static String bundles(List<Bundle> bundles) {
        return (bundles.size() == 1 ? "bundle " : "bundles ")
                + String.join(", ", bundles.stream().map(Versions::describe).toList());
    }

    /**
     * What was stopped is gone (uninstalled outside the deployer, or by the plan as the service is
     * disabled): the service is as it was before the stop.
     */
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
