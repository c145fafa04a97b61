package io.msf.deploy.internal;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.log.Logger;

/**
 * Refreshes just the bundles a deployment removed: the framework then also refreshes whatever is
 * wired to them, and nothing else. Never a framework-wide refresh, which would restart every
 * bundle that ever had a package replaced.
 */
final class Refresher {

    private static final long LIMIT_SECONDS = 30;

    /**
     * Taken while the deployer's context is valid: a removal that ends after the deployer stopped (a
     * stop that returned late, on its own thread) still refreshes, where the context would throw.
     */
    private final FrameworkWiring wiring;
    private final Logger log;

    Refresher(BundleContext context, Logger log) {
        this.wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        this.log = log;
    }

    void refresh(Collection<Bundle> bundles) throws InterruptedException {
        if (bundles.isEmpty()) {
            return;
        }
        Collection<Bundle> closure = wiring.getDependencyClosure(bundles);
        if (closure.size() > bundles.size()) {
            List<Bundle> wired = closure.stream().filter(b -> !bundles.contains(b)).toList();
            log.info("refreshing {} bundle(s) wired to the removed ones as well: {}", wired.size(), wired);
        }
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        if (!done.await(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            log.warn("refresh of {} did not finish within {} s", bundles, LIMIT_SECONDS);
        }
    }
}
