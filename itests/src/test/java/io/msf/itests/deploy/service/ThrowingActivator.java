package io.msf.itests.deploy.service;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** A version whose activator throws as it starts, as one missing what it needs would. */
public final class ThrowingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException("the test made start throw");
    }

    @Override
    public void stop(BundleContext context) {
        // never started
    }
}
