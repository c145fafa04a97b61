package io.msf.deploy.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;

/**
 * Runs a task once the framework has started, as the launcher's ready line waits for it: at its
 * STARTED event, or at once if it is active already (the deployer restarted while it runs; a warm
 * spare promoted, whose framework started at the spare level). By then every configuration the
 * container starts with is in Config Admin: FileInstall reads etc/ as it starts, at level 3,
 * before the deployer's level (felix.fileinstall.noInitialDelay), and the config gate applies each
 * file as FileInstall hands it over.
 */
final class OnceStarted implements FrameworkListener {

    private final BundleContext context;
    private final Runnable task;
    private final AtomicBoolean done = new AtomicBoolean();

    OnceStarted(BundleContext context, Runnable task) {
        this.context = context;
        this.task = task;
    }

    void open() {
        context.addFrameworkListener(this); // first: a start that ends meanwhile is not missed
        if (context.getBundle(0).getState() == Bundle.ACTIVE) {
            runOnce();
        }
    }

    void close() {
        context.removeFrameworkListener(this);
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            runOnce();
        }
    }

    private void runOnce() {
        if (done.compareAndSet(false, true)) {
            task.run();
        }
    }
}
