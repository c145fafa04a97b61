package io.msf.deploy.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.log.Logger;

/**
 * Refreshes just the bundles a deployment removed: the framework then also refreshes whatever is
 * wired to them, and nothing else. Never a framework-wide refresh, which would restart every
 * bundle that ever had a package replaced.
 *
 * <p>Felix's refresh takes the framework's global lock and then waits, without a limit, for the lock
 * of every bundle it refreshes; a bundle whose activator's start or stop has not returned holds its
 * lock all that time, so a refresh that includes it would stop every bundle operation of the
 * framework. Such a refresh waits instead, on a thread of its own, until no bundle of it is starting
 * or stopping, at most the {@link StopLimit}; it is left (with a WARN) if one still is then.
 */
final class Refresher {

    /** How often a refresh that waits looks whether its bundles' starts and stops have returned. */
    private static final long POLL_MILLIS = 100;

    /**
     * Taken while the deployer's context is valid: a removal that ends after the deployer stopped (a
     * stop that returned late, on its own thread) still refreshes, where the context would throw.
     */
    private final FrameworkWiring wiring;
    private final Logger log;
    /** How long a refresh is waited for, and a bundle's stop ({@link Versions}): one number for both. */
    private final Duration limit;
    /**
     * Told of the bundles about to lose their class loader, while they have it: those a refresh is about to
     * give new ones (or none), and those about to be uninstalled ({@link #uninstalling}).
     */
    private final Consumer<Collection<Bundle>> refreshedAway;

    Refresher(BundleContext context, Logger log) {
        this(context, log, StopLimit.DEFAULT);
    }

    Refresher(BundleContext context, Logger log, Duration limit) {
        this(context, log, limit, bundles -> { });
    }

    /** @param refreshedAway told of the bundles each refresh includes, just before it, on its thread */
    Refresher(BundleContext context, Logger log, Duration limit, Consumer<Collection<Bundle>> refreshedAway) {
        this.wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        this.log = log;
        this.limit = limit;
        this.refreshedAway = refreshedAway;
    }

    /**
     * Says the bundles are about to be uninstalled: Felix ends at once the wiring, and so the class loader, of
     * a bundle nothing imports from, with no refresh, so its loader is taken now.
     */
    void uninstalling(Collection<Bundle> bundles) {
        refreshedAway.accept(bundles);
    }

    /** The {@link StopLimit}: how long a refresh, and a bundle's stop, is waited for. */
    Duration limit() {
        return limit;
    }

    /**
     * Refreshes the bundles, waiting for it at most the limit; or, while a bundle it would refresh is
     * starting or stopping, returns at once and refreshes them later, on a thread of its own.
     */
    void refresh(Collection<Bundle> bundles) throws InterruptedException {
        if (bundles.isEmpty()) {
            return;
        }
        Collection<Bundle> closure = wiring.getDependencyClosure(bundles);
        List<Bundle> busy = busy(closure);
        if (busy.isEmpty()) {
            refreshNow(bundles, closure);
            return;
        }
        log.info("refresh of {} waits until {} no longer start or stop", bundles, busy);
        Thread later = new Thread(() -> refreshOnceIdle(List.copyOf(bundles)), "msf-deploy-refresh");
        later.setDaemon(true);
        later.start();
    }

    private void refreshOnceIdle(List<Bundle> bundles) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            Collection<Bundle> closure = wiring.getDependencyClosure(bundles);
            List<Bundle> busy = busy(closure);
            while (!busy.isEmpty()) {
                if (System.nanoTime() >= deadline) {
                    log.warn("refresh of {} left: {} still start or stop after {} ms; the removed bundles keep their"
                            + " class loaders, and their importers their wiring, until a refresh that includes them"
                            + " (refresh in the console) or the container's restart", bundles, busy, limit.toMillis());
                    return;
                }
                Thread.sleep(POLL_MILLIS);
                closure = wiring.getDependencyClosure(bundles);
                busy = busy(closure);
            }
            refreshNow(bundles, closure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("refresh of {} failed: {}", bundles, e.toString(), e);
        }
    }

    /**
     * The bundles of the refresh's closure (the removed ones and what is wired to them) whose start
     * (not a wait for lazy activation, which holds no lock) or stop has not returned.
     */
    private static List<Bundle> busy(Collection<Bundle> closure) {
        return closure.stream().filter(BundleCall::notReturned).toList();
    }

    /** @param closure the bundles the refresh includes, {@code bundles} and what is wired to them */
    private void refreshNow(Collection<Bundle> bundles, Collection<Bundle> closure) throws InterruptedException {
        if (closure.size() > bundles.size()) {
            List<Bundle> wired = closure.stream().filter(b -> !bundles.contains(b)).toList();
            log.info("refreshing {} bundle(s) wired to the removed ones as well: {}", wired.size(), wired);
        }
        // the importers of removed bundles keep their wiring, and so their class loader, until the refresh
        refreshedAway.accept(closure);
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        if (!done.await(limit.toNanos(), TimeUnit.NANOSECONDS)) {
            log.warn("refresh of {} did not finish within {} s", bundles, limit.toSeconds());
        }
    }
}
