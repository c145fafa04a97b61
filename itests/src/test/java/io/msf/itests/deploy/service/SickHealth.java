package io.msf.itests.deploy.service;

import io.msf.monitor.api.HealthCheck;
import io.msf.monitor.api.HealthResult;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** A version that starts but never gets healthy: its health check says DOWN. */
public final class SickHealth implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        context.registerService(HealthCheck.class, () -> HealthResult.down("the test made it sick"), null);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework withdraws the check
    }
}
