package io.msf.deploy.internal;

import io.msf.files.FileInstallFolders;
import java.io.File;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.osgi.framework.BundleEvent;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.log.Logger;

/**
 * What the deployer does as something changes: a service's configuration, a jar of the deploy folder,
 * a service bundle, the jar of a failed version. Each change asks the deployer's one thread for a pass
 * ({@link Reconciliation}); a change of a source of services also has it delete what is kept of
 * services no source names any more. {@link Reconciler} registers the listeners and hands the calls
 * over; this class only reacts.
 */
final class ChangeReactions {

    static final String POLL = "felix.fileinstall.poll";
    private static final long DEFAULT_POLL_MILLIS = 2000;

    private final Reconciliation reconciliation;
    private final DeploySources sources;
    private final LongDrains longDrains;
    /** The deployer's thread: every pass and clean-up runs there, one after the other. */
    private final Executor worker;
    /** Whether the clean-up at the start has run ({@link OnceStarted#ran}): until then, a change leaves it to that. */
    private final BooleanSupplier started;
    private final Logger log;
    /** A clean-up is handed to the worker and has not begun: another one adds nothing. */
    private final AtomicBoolean forgetQueued = new AtomicBoolean();

    ChangeReactions(Reconciliation reconciliation, DeploySources sources, LongDrains longDrains, Executor worker,
            BooleanSupplier started, Logger log) {
        this.reconciliation = reconciliation;
        this.sources = sources;
        this.longDrains = longDrains;
        this.worker = worker;
        this.started = started;
        this.log = log;
    }

    // ---- what changes the desired state ----

    void configurationEvent(ConfigurationEvent event) {
        if (ServiceSpecs.FACTORY_PID.equals(event.getFactoryPid())) {
            sourceChanged();
            requestReconcile();
        }
    }

    boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar");
    }

    void install(File artifact) {
        sources.jarChanged(artifact);
        sourceChanged(); // a jar replaced by one of another bundle names another service
        requestReconcile();
    }

    void update(File artifact) {
        install(artifact);
    }

    void uninstall(File artifact) {
        sources.jarRemoved(artifact);
        sourceChanged();
        requestReconcile();
    }

    /** Deletes what was kept of services the container started without ({@link Reconciliation#forgetUnnamed}). */
    void forgetUnnamedAtStart() {
        forgetUnnamed("the container started without a configuration or a deploy folder jar of the service; one of"
                + " that name configured later is a new service");
    }

    /**
     * A source of services changed (a configuration made, changed or deleted; a jar taken or
     * removed): once the container runs, what is kept of services no source names any more is
     * deleted again, as at the start. Before that, the clean-up at the start does it.
     */
    private void sourceChanged() {
        if (started.getAsBoolean()) {
            forgetUnnamed("no configuration, deploy folder jar or refused service file names the service any more;"
                    + " one of that name configured later is a new service");
        }
    }

    /** Hands the clean-up to the deployer's thread, unless it is there already and has not begun. */
    private void forgetUnnamed(String why) {
        if (!forgetQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            onWorker("the clean-up of services named by nothing", () -> {
                forgetQueued.set(false); // a change from here on is looked at by another clean-up
                sources.named().ifPresent(named -> reconciliation.forgetUnnamed(named, why));
            });
        } catch (RejectedExecutionException stopping) {
            forgetQueued.set(false); // deactivated: the next deployer does it at its start
        }
    }

    /**
     * Hands a task to the deployer's thread, logging what it throws: a scheduled executor keeps that
     * in a future nobody reads, where a plain one's thread would at least have printed it.
     */
    void onWorker(String what, Runnable task) {
        worker.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("deployer: {} failed: {}", what, e.toString(), e);
            }
        });
    }

    void requestReconcile() {
        if (reconciliation.markDirty()) {
            try {
                worker.execute(() -> reconciliation.run(() -> longDrains.check(sources.desired())));
            } catch (RejectedExecutionException stopping) {
                // deactivated: the next deployer reconciles at its start
            }
        }
    }

    /** Run on the deployer's thread, between passes: only the jars of failed versions are looked at. */
    void retryChangedJars() {
        try {
            if (reconciliation.retryChangedJars()) {
                requestReconcile();
            }
        } catch (RuntimeException e) {
            // thrown out of a periodic task, it would end the looks for good
            log.error("deployer: the jars of failed versions were not looked at: {}", e.toString(), e);
        }
    }

    /** {@value #POLL} as FileInstall reads it (2000 ms if unset or not a positive number). */
    static long jarPollMillis(Function<String, String> frameworkProperty) {
        String poll = FileInstallFolders.property(frameworkProperty, POLL);
        try {
            long millis = poll == null ? DEFAULT_POLL_MILLIS : Long.parseLong(poll.trim());
            return millis > 0 ? millis : DEFAULT_POLL_MILLIS;
        } catch (NumberFormatException e) {
            return DEFAULT_POLL_MILLIS;
        }
    }

    // ---- what changes what runs ----

    /**
     * A service bundle uninstalled, stopped or started by someone else (a lazy one: its wait for a
     * class load begun) is a change of what runs: reconcile. (The deployer's own stops and starts
     * make a pass that finds nothing to do.)
     */
    void bundleChanged(BundleEvent event) {
        int type = event.getType();
        if ((type == BundleEvent.UNINSTALLED || type == BundleEvent.STOPPED || type == BundleEvent.STARTED
                || type == BundleEvent.LAZY_ACTIVATION) && BundleLocation.parse(event.getBundle().getLocation()).isPresent()) {
            if (type == BundleEvent.STARTED) {
                // a refresh restarts the services wired to a swapped one: SINCE of msf:list says when
                reconciliation.bundleStarted(event.getBundle().getBundleId(), Clock.systemUTC().instant());
            }
            requestReconcile();
        }
    }
}
