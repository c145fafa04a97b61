package io.msf.deploy.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Runs a task once the container runs: the framework active at the start level it runs at, as the
 * launcher's ready line waits for it. By then every configuration the container starts with is in
 * Config Admin: FileInstall reads etc/ as it starts, at level 3, below the deployer's level
 * (felix.fileinstall.noInitialDelay), and the config gate applies each file as FileInstall hands
 * it over.
 *
 * <p>The level it runs at is the beginning level, except in a warm spare of the supervisor, which
 * waits at a lower one until its promotion ({@value #PROMOTED_LEVEL}, set by the launcher): a
 * spare whose level lets the deployer start has not read the child's configuration yet.
 */
final class OnceStarted implements FrameworkListener {

    /** The launcher's framework property in a warm spare: the level its promotion raises it to. */
    static final String PROMOTED_LEVEL = "msf.spare.promotedLevel";

    private final BundleContext context;
    private final Runnable task;
    private final AtomicBoolean done = new AtomicBoolean();

    OnceStarted(BundleContext context, Runnable task) {
        this.context = context;
        this.task = task;
    }

    void open() {
        context.addFrameworkListener(this); // first: a start that ends meanwhile is not missed
        if (running()) {
            runOnce();
        }
    }

    void close() {
        context.removeFrameworkListener(this);
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        int type = event.getType();
        if ((type == FrameworkEvent.STARTED || type == FrameworkEvent.STARTLEVEL_CHANGED) && running()) {
            runOnce();
        }
    }

    /** Whether the task has run: the container runs at its own level (a warm spare: it was promoted). */
    boolean ran() {
        return done.get();
    }

    private boolean running() {
        Bundle framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        if (framework.getState() != Bundle.ACTIVE) {
            return false;
        }
        FrameworkStartLevel level = framework.adapt(FrameworkStartLevel.class);
        return level == null || level.getStartLevel() >= runningLevel();
    }

    private int runningLevel() {
        String promoted = context.getProperty(PROMOTED_LEVEL);
        String level = promoted != null ? promoted : context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        try {
            return level == null ? 1 : Integer.parseInt(level.trim());
        } catch (NumberFormatException e) {
            return 1; // the framework refused to start with it
        }
    }

    private void runOnce() {
        if (done.compareAndSet(false, true)) {
            task.run();
        }
    }
}
