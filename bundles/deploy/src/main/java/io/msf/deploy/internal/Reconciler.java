package io.msf.deploy.internal;

import io.msf.agent.api.RouteControl;
import io.msf.config.api.ConfigValidation;
import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState;
import io.msf.files.DataFolder;
import io.msf.files.FileInstallFolders;
import io.msf.monitor.api.Health;
import io.msf.monitor.api.HealthCheck;
import io.msf.monitor.api.HealthResult;
import io.msf.monitor.api.HealthStatus;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The deployer as a service: takes the desired state from the service configurations and the
 * deploy folder, and has one thread bring the framework to it (see {@link Reconciliation}),
 * at start and after every change. The console's changes are changes of configuration, so that
 * a restarted container comes back with the same services.
 *
 * <p>The checked copies of dropped jars, which are what gets installed, and the last good state of
 * each service ({@link ServiceRecords}) live in the data folder: if it is refused
 * ({@link DataFolder}: msf.data unset and its default unsafe), the deployer does not start rather
 * than install what another user could put there.
 *
 * <p>It reads no configuration of its own (its settings are framework properties, its services'
 * configurations it tracks itself): with a PID, a configuration made for it, which nothing checks
 * and nothing reads, restarted the deployer, breaking off a swap under way.
 */
@Component(service = {Deployer.class, ArtifactInstaller.class, HealthCheck.class}, immediate = true,
        configurationPolicy = ConfigurationPolicy.IGNORE, property = Constants.SERVICE_RANKING + ":Integer=100")
public final class Reconciler implements Deployer, ArtifactInstaller, HealthCheck {

    static final String POLL = "felix.fileinstall.poll";
    private static final long DEFAULT_POLL_MILLIS = 2000;
    /** msf:list asks each running version's health checks, each bounded by this. */
    private static final Duration LIST_HEALTH_LIMIT = Duration.ofMillis(500);

    private final Logger log;
    private final ServiceConfigs configs;
    /** Where the deployer writes: new services' files, and data/deploy with its last good states. */
    private final Path configFolder;
    private final Path deployData;
    private final DeploySources sources;
    private final Reconciliation reconciliation;
    private final ScheduledExecutorService worker;
    /** How often the jars of failed versions are looked at: FileInstall's poll of its folders. */
    private final long jarPollMillis;
    private final HealthGate healthGate;
    /**
     * Registered apart from the component's services: the config gate takes the service that is
     * both ArtifactInstaller and ConfigurationListener for FileInstall's own configuration installer.
     */
    private volatile ServiceRegistration<ConfigurationListener> configListener;
    private final ServiceRegistration<ResolverHookFactory> resolverHook;
    /**
     * The records of services the container started without are deleted once it has started, and
     * those of services no source names any more after each change of a source from then on.
     */
    private volatile OnceStarted started;
    /** A clean-up is handed to the worker and has not begun: another one adds nothing. */
    private final AtomicBoolean forgetQueued = new AtomicBoolean();
    /**
     * A service bundle uninstalled, stopped or started by someone else (a lazy one: its wait for a
     * class load begun) is a change of what runs: reconcile. (The deployer's own stops and starts
     * make a pass that finds nothing to do.)
     */
    private final BundleListener bundleListener = this::bundleChanged;
    /** Drains the deployed services when the container stops, before the framework stops them. */
    private final StopDrain stopDrain;
    private final LongDrains longDrains;
    private final Versions versions;
    private final CrossedWires crossedWires;
    /** What the console's commands change and read of the services' configurations. */
    private final ServiceConfigCommands commands;
    private final BundleContext context;
    // Optional services, each taken while it is there (DS sets the field, the latest one first):
    // health checks gate a new version, the agent holds and drains versions, EventAdmin hears of
    // changes, the config gate checks what msf:param set writes and says which service files it
    // refuses (set before activate(), which starts the clean-up), the Log service's history tells of
    // a modified method that threw at a live change. Without one, that part is skipped.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Health health;
    /** The agent's routes, set by {@link #bindRoutes} rather than by DS: an agent that comes is told what it forgot. */
    private final AtomicReference<RouteControl> routes = new AtomicReference<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigValidation gate;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LogReaderService logReader;

    /**
     * @throws IOException if the data folder is refused or cannot be made; logged first, the message
     *     naming it and what to do, and the component stays inactive
     */
    @Activate
    public Reconciler(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference ServiceComponentRuntime scr, @Reference(service = LoggerFactory.class) Logger log)
            throws IOException {
        this.log = log;
        this.context = context;
        Path data = dataFolder(context, log);
        this.configFolder = DataDirs.configFolder(context);
        this.deployData = data.resolve("deploy");
        this.configs = new ServiceConfigs(configAdmin, configFolder);
        this.sources = new DeploySources(configs, new DeployFolder(deployData, this::copiesInUse, log::warn),
                file -> DataDirs.shown(context, file), new WatchedJars(configAdmin, context::getProperty),
                () -> gate == null ? List.of() : gate.rejected(), log);
        this.healthGate = new HealthGate(context, () -> health);
        FreshWiring freshWiring = new FreshWiring(context::getBundles);
        this.resolverHook = context.registerService(ResolverHookFactory.class, freshWiring, null);
        Locations locations = new Locations(DataDirs.repositories(context));
        Refresher refresher = new Refresher(context, log, StopLimit.of(context.getProperty(StopLimit.PROPERTY), log));
        this.versions = new Versions(context, locations,
                new ComponentStates(() -> scr, () -> logReader), healthGate, routes::get, refresher, freshWiring, log);
        this.crossedWires = new CrossedWires(refresher, log);
        this.reconciliation = new Reconciliation(versions, new ParamConfigs(configAdmin),
                new JarStamps(locations::files), new ServiceRecords(records(), log), new DeployEvents(() -> eventAdmin),
                log, Clock.systemUTC());
        this.commands = new ServiceConfigCommands(configs, sources, reconciliation, () -> gate,
                file -> DataDirs.shown(context, file), this::requestReconcile, this::state);
        this.stopDrain = new StopDrain(versions::containerStops, reconciliation::running, versions::holdFromOutside,
                versions::hold, versions::inFlight, context.getProperty(StopDrain.STOP_TIMEOUT), log);
        this.longDrains = new LongDrains(StopDrain.stopTimeout(context.getProperty(StopDrain.STOP_TIMEOUT)), log);
        this.jarPollMillis = jarPollMillis(context);
        this.worker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "msf-deploy");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * An agent came, at the start or back after its bundle was stopped and started again: it is told
     * again which service bundles are held and which are preferred, which it keeps in memory only
     * ({@link RouteStates}). Without that a version held for its health check would get requests
     * from an agent that came back.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindRoutes")
    void bindRoutes(RouteControl agent) {
        routes.set(agent);
        versions.agentBound();
    }

    /** Called after the bind of a replacement, which must stay: only the agent leaving is forgotten. */
    void unbindRoutes(RouteControl agent) {
        routes.compareAndSet(agent, null);
    }

    /**
     * Called by DS after the constructor, once it has set the optional references there now: the
     * deployer starts its work only then. The first pass installs and swaps through the health checks,
     * the agent's routes and Event Admin, and the clean-up asks the config gate which files it
     * refuses: started from the constructor, it could run before the gate was set and delete the
     * record of a service whose file the gate refuses.
     */
    @Activate
    void activate() {
        onWorker("the removal of what a deployer killed halfway left", this::removeLeftovers); // first, before any write
        onWorker("the take-over of the service bundles installed before it", this::adopt);
        configListener = context.registerService(ConfigurationListener.class, this::configurationEvent, null);
        context.addBundleListener(bundleListener);
        context.addBundleListener(stopDrain);
        requestReconcile();
        // on the deployer's thread, between passes; only the jars of failed versions are looked at
        worker.scheduleWithFixedDelay(this::retryChangedJars, jarPollMillis, jarPollMillis, TimeUnit.MILLISECONDS);
        started = new OnceStarted(context, this::forgetUnnamedAtStart);
        started.open();
    }

    /**
     * Takes over the service bundles installed before this deployer, then wires again those that resolved
     * while no deployer, and so no resolver hook, was there ({@link CrossedWires}): now that it is registered,
     * which it was in the constructor, their refresh resolves them as it keeps them.
     */
    private void adopt() {
        Bundle[] installed = context.getBundles();
        reconciliation.adopt(installed, sources.desired());
        try {
            crossedWires.rewire(installed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path records() {
        return deployData.resolve("last-good");
    }

    /** The files a deployer killed between writing them and putting them into place left ({@link DeployLeftovers}). */
    private void removeLeftovers() {
        try {
            for (Path file : DeployLeftovers.remove(configFolder, deployData, records(), Clock.systemUTC().instant())) {
                log.info("{}: removed, written by a deployer that was stopped before it put it into place",
                        DataDirs.shown(context, file.toFile()));
            }
        } catch (IOException e) {
            log.warn("deployer: what a deployer stopped halfway left (.msf.service~<name>.cfg.<digits>.tmp in {},"
                    + " .copy-<digits>.jar and <name>.record.tmp in {}) is not removed: {}", configFolder, deployData,
                    e.toString());
        }
    }

    @Deactivate
    void stop() throws InterruptedException {
        started.close();
        configListener.unregister();
        resolverHook.unregister();
        context.removeBundleListener(bundleListener);
        context.removeBundleListener(stopDrain);
        // Deployed services keep running: a deployer that is updated or restarted adopts them again (a
        // container that stops has drained them already, before this: StopDrain).
        worker.shutdownNow();
        if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
            log.warn("msf-deploy: the running change did not stop within 30 s");
        }
    }

    /** {@value #POLL} as FileInstall reads it (2000 ms if unset or not a positive number). */
    private static long jarPollMillis(BundleContext context) {
        String poll = FileInstallFolders.property(context::getProperty, POLL);
        try {
            long millis = poll == null ? DEFAULT_POLL_MILLIS : Long.parseLong(poll.trim());
            return millis > 0 ? millis : DEFAULT_POLL_MILLIS;
        } catch (NumberFormatException e) {
            return DEFAULT_POLL_MILLIS;
        }
    }

    private void retryChangedJars() {
        try {
            if (reconciliation.retryChangedJars()) {
                requestReconcile();
            }
        } catch (RuntimeException e) {
            // thrown out of a periodic task, it would end the looks for good
            log.error("deployer: the jars of failed versions were not looked at: {}", e.toString(), e);
        }
    }

    /** Read as a jar of the deploy folder is taken, once the constructor has returned. */
    private Optional<Set<String>> copiesInUse() {
        return reconciliation.locationsInUse();
    }

    private static Path dataFolder(BundleContext context, Logger log) throws IOException {
        try {
            return DataFolder.of(context::getProperty).prepare();
        } catch (IOException e) {
            log.error("msf-deploy: not started: {}", e.getMessage());
            throw e;
        }
    }

    // ---- what changes the desired state ----

    private void configurationEvent(ConfigurationEvent event) {
        if (ServiceSpecs.FACTORY_PID.equals(event.getFactoryPid())) {
            sourceChanged();
            requestReconcile();
        }
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar");
    }

    @Override
    public void install(File artifact) {
        sources.jarChanged(artifact);
        sourceChanged(); // a jar replaced by one of another bundle names another service
        requestReconcile();
    }

    @Override
    public void update(File artifact) {
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        sources.jarRemoved(artifact);
        sourceChanged();
        requestReconcile();
    }

    /** Deletes what was kept of services the container started without ({@link Reconciliation#forgetUnnamed}). */
    private void forgetUnnamedAtStart() {
        forgetUnnamed("the container started without a configuration or a deploy folder jar of the service; one of"
                + " that name configured later is a new service");
    }

    /**
     * A source of services changed (a configuration made, changed or deleted; a jar taken or
     * removed): once the container runs, what is kept of services no source names any more is
     * deleted again, as at the start. Before that, the clean-up at the start does it.
     */
    private void sourceChanged() {
        OnceStarted once = started;
        if (once != null && once.ran()) {
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
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            forgetQueued.set(false); // deactivated: the next deployer does it at its start
        }
    }

    /**
     * Hands a task to the deployer's thread, logging what it throws: a scheduled executor keeps that
     * in a future nobody reads, where a plain one's thread would at least have printed it.
     */
    private void onWorker(String what, Runnable task) {
        worker.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("deployer: {} failed: {}", what, e.toString(), e);
            }
        });
    }

    private void requestReconcile() {
        if (reconciliation.markDirty()) {
            try {
                worker.execute(() -> reconciliation.run(() -> longDrains.check(sources.desired())));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // deactivated: the next deployer reconciles at its start
            }
        }
    }

    // ---- Deployer ----

    private void bundleChanged(BundleEvent event) {
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

    @Override
    public List<ServiceState> list() {
        reconciliation.checkHealth(bundles -> RunningBundles.notRunning(bundles).map(why -> "DOWN: " + why)
                .orElseGet(() -> {
                    HealthResult result = healthGate.check(bundles, LIST_HEALTH_LIMIT);
                    return result.status() == HealthStatus.UP ? "UP" : result.status() + ": " + result.detail();
                }));
        return reconciliation.states().stream().sorted(Comparator.comparing(ServiceState::name)).toList();
    }

    /**
     * The deployer's own health check ({@code msf:health}, {@code /health}): WARN while a deployed service's
     * running version has a bundle that should run and does not, naming each; WARN, not DOWN, as the
     * supervisor's crash loop: a liveness probe's restart of the container would not wire it again.
     */
    @Override
    public HealthResult check() {
        List<String> down = reconciliation.notRunning();
        return down.isEmpty() ? HealthResult.up("the running version of every deployed service runs")
                : HealthResult.warn(String.join("; ", down));
    }

    @Override
    public Optional<ServiceState> state(String name) {
        return reconciliation.states().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    @Override
    public String deploy(String name, String location, Map<String, String> settings) throws IOException {
        return commands.deploy(name, location, settings);
    }

    @Override
    public void undeploy(String name) throws IOException {
        commands.undeploy(name);
    }

    @Override
    public void update(String name, String locationOrVersion) throws IOException {
        commands.update(name, locationOrVersion);
    }

    @Override
    public void rollback(String name) throws IOException {
        commands.rollback(name);
    }

    @Override
    public Map<String, Object> parameters(String name) {
        return commands.parameters(name);
    }

    @Override
    public void setParameter(String name, String key, String value) throws IOException {
        commands.setParameter(name, key, value);
    }

    @Override
    public Optional<ServiceState> await(String name, Duration limit) throws InterruptedException, TimeoutException {
        return commands.await(name, limit);
    }
}
