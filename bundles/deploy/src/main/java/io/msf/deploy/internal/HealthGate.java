package io.msf.deploy.internal;

import io.msf.monitor.api.Health;
import io.msf.monitor.api.HealthCheck;
import io.msf.monitor.api.HealthResult;
import io.msf.monitor.api.HealthStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Asks whether a version's bundles are healthy: through the monitor's {@link Health} when it runs,
 * otherwise by running the {@link HealthCheck} services the bundles registered, each bounded by the
 * limit. WARN passes (an alert, not a failure); DOWN does not.
 */
final class HealthGate {

    private final BundleContext context;
    private final Supplier<Health> health;

    HealthGate(BundleContext context, Supplier<Health> health) {
        this.context = context;
        this.health = health;
    }

    /** The worst verdict over the bundles; its detail names the bundle. */
    HealthResult check(List<Bundle> bundles, Duration limit) {
        HealthResult worst = HealthResult.up("no health check failed");
        for (Bundle bundle : bundles) {
            HealthResult result = checkOne(bundle, limit);
            if (result.status().compareTo(worst.status()) > 0) {
                worst = new HealthResult(result.status(), bundle.getSymbolicName() + ": " + result.detail());
            }
        }
        return worst;
    }

    private HealthResult checkOne(Bundle bundle, Duration limit) {
        Health monitor = health.get();
        if (monitor != null) {
            return monitor.checkBundle(bundle, limit);
        }
        ServiceReference<?>[] registered = bundle.getRegisteredServices();
        if (registered == null) {
            return HealthResult.up("no health check registered");
        }
        HealthResult worst = HealthResult.up("health checks pass");
        for (ServiceReference<?> reference : registered) {
            if (!List.of((String[]) reference.getProperty("objectClass")).contains(HealthCheck.class.getName())) {
                continue;
            }
            HealthResult result = run(reference, limit);
            if (result.status().compareTo(worst.status()) > 0) {
                worst = result;
            }
        }
        return worst;
    }

    private HealthResult run(ServiceReference<?> reference, Duration limit) {
        Object service = context.getService(reference);
        if (!(service instanceof HealthCheck check)) {
            return HealthResult.up("health check withdrawn");
        }
        try {
            return CompletableFuture.supplyAsync(check::check).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthResult.down("interrupted while checking");
        } catch (TimeoutException e) {
            return HealthResult.down("health check took longer than " + limit.toMillis() + " ms");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return HealthResult.down("health check failed: " + cause);
        } finally {
            context.ungetService(reference);
        }
    }

    static boolean passes(HealthResult result) {
        return result.status() != HealthStatus.DOWN;
    }
}
