package io.msf.itests.deploy.service;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * A version that starts until the test says otherwise: its activator throws while the system
 * property {@value #REFUSE} is set, as one whose start finds what it needs gone would, and takes its
 * time while {@value #HOLD} is set, as a slow one does (the bundle STARTING meanwhile); its stop
 * takes its time while {@value #HOLD_STOP} is set (the bundle STOPPING meanwhile).
 */
public final class RefusingActivator implements BundleActivator {

    /** Set, the activator throws as it starts. */
    public static final String REFUSE = "io.msf.itests.refuse.start";
    /** Set, the activator's start does not return until it is cleared. */
    public static final String HOLD = "io.msf.itests.hold.start";
    /** Set, the activator's stop does not return until it is cleared. */
    public static final String HOLD_STOP = "io.msf.itests.hold.stop";

    @Override
    public void start(BundleContext context) throws InterruptedException {
        while (System.getProperty(HOLD) != null) {
            Thread.sleep(20);
        }
        if (System.getProperty(REFUSE) != null) {
            throw new IllegalStateException("the test made start throw");
        }
    }

    @Override
    public void stop(BundleContext context) throws InterruptedException {
        while (System.getProperty(HOLD_STOP) != null) {
            Thread.sleep(20);
        }
    }
}
