package io.msf.itests.deploy.service;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** A version of the swap service that answers requests but never gets healthy: held for ever by a swap. */
public final class SickSwapHandler implements BundleActivator {

    private final SwapHandler handler = new SwapHandler();
    private final SickHealth health = new SickHealth();

    @Override
    public void start(BundleContext context) {
        health.start(context);
        handler.start(context);
    }

    @Override
    public void stop(BundleContext context) {
        handler.stop(context);
        health.stop(context);
    }
}
