package io.msf.deploy.internal;

import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState.Phase;
import java.time.Clock;
import org.osgi.service.log.Logger;

/** Says that a change of a service failed: shown ({@code msf:list}), logged and posted ({@code msf/deploy/FAILED}). */
final class Failures {

    private final DeployEvents events;
    private final Logger log;
    private final Clock clock;

    Failures(DeployEvents events, Logger log, Clock clock) {
        this.events = events;
        this.log = log;
        this.clock = clock;
    }

    void fail(Deployment d, String problem) {
        d.problem = problem;
        d.health = d.bundles.isEmpty() ? "" : d.health;
        d.enter(Phase.FAILED, clock.instant());
        log.error("{}: {}", d.name, problem);
        events.post(Deployer.TOPIC_FAILED, d.name, d.attempted == null ? "" : d.attempted.version(), problem);
    }
}
