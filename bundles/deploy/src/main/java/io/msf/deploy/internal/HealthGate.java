package io.msf.deploy.internal;

import io.msf.monitor.api.Health;
import io.msf.monitor.api.HealthCheck;
import io.msf.monitor.api.HealthResult;
import io.msf.monitor.api.HealthStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** The most checks that may still run, timed out but not heeding the interrupt, before none is started. */
    static final int MOST_STILL_RUNNING = 8;

    private final BundleContext context;
    private final Supplier<Health> health;
    /** Checks running on threads of their own, those that ran past their limit among them. */
    private final AtomicInteger running = new AtomicInteger();

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
            if (!reserveThread()) {
                return HealthResult.down("not run: " + MOST_STILL_RUNNING + " health checks still run, of other calls"
                        + " at this moment or past their limit (hung, not heeding the interrupt)");
            }
            HealthResult result = bounded(check, limit);
            // as the monitor's CheckRunner has it: a check's author may return null
            return result != null ? result : HealthResult.down("health check returned no result");
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

    /**
     * Takes one of the {@link #MOST_STILL_RUNNING} places for a check's thread, if one is free, in one
     * step: with a look first and the count after the thread was made, callers at the same moment
     * (msf:list in two consoles, one beside a deployment's gate) each saw a place free, and together
     * started more threads than the limit.
     */
    private boolean reserveThread() {
        return running.getAndUpdate(n -> n < MOST_STILL_RUNNING ? n + 1 : n) < MOST_STILL_RUNNING;
    }

    /**
     * Runs the check on a thread of its own, not on the JVM's shared fork-join pool: a check that
     * hangs would hold one of that pool's few threads for good, and after as many hung checks as it
     * has threads, every later check (and whatever else in the container uses the pool) would wait
     * behind them. A check that ignores the interrupt keeps its thread: at most {@link
     * #MOST_STILL_RUNNING} of them, as msf:list asks each time it is run. The caller has taken the
     * check's place ({@link #reserveThread}); the check's end gives it back, or a thread that did not start.
     */
    private HealthResult bounded(HealthCheck check, Duration limit)
            throws InterruptedException, ExecutionException, TimeoutException {
        FutureTask<HealthResult> task = new FutureTask<>(() -> {
            try {
                return check.check();
            } finally {
                running.decrementAndGet();
            }
        });
        Thread runner;
        try {
            runner = new Thread(task, "msf-deploy-health-check");
            runner.setDaemon(true);
            runner.start();
        } catch (RuntimeException | Error e) {
            running.decrementAndGet();
            throw e;
        }
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            // Past its limit, or the caller told to stop (the deployer stopping): nobody waits for the
            // result. A check that heeds the interrupt ends; one that does not holds up nothing.
            runner.interrupt();
            throw e;
        }
    }

    static boolean passes(HealthResult result) {
        return result.status() != HealthStatus.DOWN;
    }
}
