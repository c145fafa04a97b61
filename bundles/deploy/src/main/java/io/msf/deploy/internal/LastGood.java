package io.msf.deploy.internal;

import io.msf.deploy.api.ServiceState.Phase;
import java.time.Clock;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.service.log.Logger;

/**
 * Brings back the last good version of a service instead of a configuration known to fail: after a
 * container restart, from what a deployer before this one kept on disk ({@link ServiceRecords}),
 * and after the running bundles were uninstalled outside the deployer.
 */
final class LastGood {

    private final PlanSteps steps;
    private final ServiceRecords records;
    private final JarRetry jarRetry;
    private final Failures failures;
    private final Logger log;
    private final Clock clock;

    LastGood(PlanSteps steps, ServiceRecords records, JarRetry jarRetry, Failures failures, Logger log, Clock clock) {
        this.steps = steps;
        this.records = records;
        this.jarRetry = jarRetry;
        this.failures = failures;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Installs again the version that served before its bundles were uninstalled outside the
     * deployer, when what is configured is not to be tried: a configuration that failed (a swap or
     * a live change) or one that is refused. The service stays FAILED as it was; were the
     * configuration installed instead, nothing of the service would run. If the version cannot be
     * installed again, the pass goes on as for a service of which nothing runs.
     */
    void bringBack(Deployment d, ServiceSpec ran, ServiceSpec tried, String problem)
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

    /**
     * The first install of a service in a container started afresh, with what a deployer before this
     * one kept of it. A configuration that failed then is not tried again: the last good state is
     * installed instead and the service is FAILED as it was. Another configuration (changed while the
     * container was down) is tried, and if it fails the last good state is installed, as a failed swap
     * leaves the version before it serving. A last good state that cannot be installed again (its jar
     * is gone) is reported, and the configuration tried as if nothing had been kept.
     */
    void restore(Deployment d, ServiceSpec spec, ServiceRecord record) throws InterruptedException {
        ServiceSpec good = record.good();
        ServiceRecord.Failure failed = record.failed();
        if (spec.equals(good)) {
            steps.install(d, spec, "");
            return;
        }
        if (failed != null && spec.equals(failed.spec())) {
            String problem = bringUpGood(d, good, "; trying the configuration, which failed before the restart");
            d.attempted = spec;
            jarRetry.watchFailed(d, failed); // a jar changed while the container was down is tried again
            if (problem.isEmpty()) {
                failures.fail(d, failed.what() + " before the restart: " + failed.reason() + "; " + d.serving()
                        + (spec.sameParams(good) ? "" : " with the parameters it had"));
                return;
            }
            steps.install(d, spec, "; the last good version " + good.locations() + " cannot be installed again: " + problem);
            return;
        }
        String reason = steps.tryInstall(d, spec);
        if (reason.isEmpty()) {
            return;
        }
        String what = "update to " + spec.locations() + " failed";
        String problem = bringUpGood(d, good, "");
        d.attempted = spec;
        if (problem.isEmpty()) {
            failures.fail(d, what + ": " + reason + "; " + d.serving()
                    + (spec.sameParams(good) ? "" : " with the parameters it had"));
            // kept as a swap's failure is: not while the container stops, which most likely cut it
            steps.keepFailure(d, new ServiceRecord.Failure(spec, what, reason, d.triedJars));
        } else {
            failures.fail(d, "install of " + spec.locations() + " failed: " + reason + "; the last good version "
                    + good.locations() + " cannot be installed again: " + problem);
        }
    }

    /**
     * The first pass of a container started afresh, whose configuration of the service is refused (made
     * through Config Admin, not a file the gate checked): the last good state a deployer before this one
     * kept serves, as a refused change leaves the running version serving. Not a jar of the deploy
     * folder refused, whose last good state may be the bundle another service now runs.
     */
    void keepServing(Deployment d, ServiceRecord record) throws InterruptedException {
        try {
            bringUpGood(d, record.good(), "");
        } finally {
            d.activity = "";
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
            List<Bundle> bundles = steps.bringUpAlone(d, good);
            log.info("{}: the last good version {} installed again and serving ({})", d.name, good.locations(),
                    bundles);
            return "";
        } catch (DeployException e) {
            steps.keepParamsOnlyOf(d.name, List.of());
            log.error("{}: the last good version {} cannot be installed again: {}{}", d.name, good.locations(),
                    e.getMessage(), otherwise);
            return e.getMessage();
        }
    }
}
