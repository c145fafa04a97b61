package io.msf.bench.startup.probe;

import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;

/**
 * Prints one line, {@code felix ready: framework STARTED (<K> bundles)}, when the framework reports
 * STARTED, i.e. every bundle of every start level up to the beginning level has been started. The
 * benchmark harness times the line from outside. No clock is read in here on purpose: the JVM start
 * time needs java.management, whose loading would delay the very line being timed.
 */
public final class ReadyProbe implements BundleActivator, FrameworkListener {

    private final AtomicBoolean reported = new AtomicBoolean();
    private BundleContext context;

    @Override
    public void start(BundleContext bundleContext) {
        context = bundleContext;
        bundleContext.addFrameworkListener(this);
        // installed after the framework was already up: STARTED has gone by, report at once
        if (bundleContext.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.ACTIVE) {
            report();
        }
    }

    @Override
    public void stop(BundleContext bundleContext) {
        bundleContext.removeFrameworkListener(this);
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            report();
        }
    }

    private void report() {
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        int bundles = context.getBundles().length;
        System.out.println("felix ready: framework STARTED (" + bundles + " bundles)");
        System.out.flush();
    }
}
