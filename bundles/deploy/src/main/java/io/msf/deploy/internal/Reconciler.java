package io.msf.deploy.internal;

import io.msf.agent.api.RouteControl;
import io.msf.config.api.ConfigValidation;
import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState;
import io.msf.files.DataFolder;
import io.msf.monitor.api.Health;
import io.msf.monitor.api.HealthCheck;
import io.msf.monitor.api.HealthResult;
import io.msf.monitor.api.HealthStatus;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerService;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.service.cm.ConfigurationAdmin;
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

    /** msf:list asks each running version's health checks, each bounded by this. */
    private static final Duration LIST_HEALTH_LIMIT = Duration.ofMillis(500);
    /** How often the class loaders of removed versions are looked at ({@link LeftLoaders}). */
    private static final long LEFT_LOADERS_CHECK_MILLIS = 10_000;

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
    /** What the deployer does as its sources, its service bundles or its failed versions' jars change. */
    private final ChangeReactions changes;
    /** {@link ChangeReactions#bundleChanged}, kept to be removed again at the stop. */
    private final BundleListener bundleListener;
    /** Drains the deployed services when the container stops, before the framework stops them. */
    private final StopDrain stopDrain;
    private final Versions versions;
    /** The class loaders of the versions removed, until collected: those leaked are warnings of {@link #check}. */
    private final LeftLoaders leftLoaders;
    /** Their periodic check, on the timer's thread while there is a timer service. */
    private final AtomicReference<TimedCheck> leftLoadersCheck = new AtomicReference<>();
    private final TakeOver takeOver;
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
        ServiceRecords records = new ServiceRecords(records(), log);
        this.sources = new DeploySources(configs, new DeployFolder(deployData, this::copiesInUse, log::warn),
                file -> DataDirs.shown(context, file), new WatchedJars(configAdmin, context::getProperty),
                () -> gate == null ? List.of() : gate.rejected(), records::takenFrom, log);
        this.healthGate = new HealthGate(context, () -> health);
        FreshWiring freshWiring = new FreshWiring(context::getBundles);
        this.resolverHook = context.registerService(ResolverHookFactory.class, freshWiring, null);
        Locations locations = new Locations(DataDirs.repositories(context));
        this.leftLoaders = new LeftLoaders(context, log);
        Refresher refresher = new Refresher(context, log, StopLimit.of(context.getProperty(StopLimit.PROPERTY), log),
                leftLoaders::watch);
        this.versions = new Versions(context, locations,
                new ComponentStates(() -> scr, () -> logReader), healthGate, routes::get, refresher, freshWiring, log);
        CrossedWires crossedWires = new CrossedWires(refresher, log);
        this.reconciliation = new Reconciliation(versions, new ParamConfigs(configAdmin),
                new JarStamps(locations::files), records, new DeployEvents(() -> eventAdmin),
                this::passwords, log, Clock.systemUTC());
        this.worker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "msf-deploy");
            thread.setDaemon(true);
            return thread;
        });
        LongDrains longDrains = new LongDrains(StopDrain.stopTimeout(context.getProperty(StopDrain.STOP_TIMEOUT)), log);
        this.changes = new ChangeReactions(reconciliation, sources, longDrains, worker, this::containerStarted, log);
        this.takeOver = new TakeOver(context::getBundles, reconciliation, sources::desired, freshWiring, crossedWires,
                changes::onWorker);
        this.bundleListener = changes::bundleChanged;
        this.commands = new ServiceConfigCommands(configs, sources, reconciliation, () -> gate,
                file -> DataDirs.shown(context, file), changes::requestReconcile, this::state);
        this.stopDrain = new StopDrain(versions::containerStops, reconciliation::running, versions::holdFromOutside,
                versions::hold, versions::inFlight, context.getProperty(StopDrain.STOP_TIMEOUT), log);
        this.jarPollMillis = ChangeReactions.jarPollMillis(context::getProperty);
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
     * The timer runs the checks of the removed versions' class loaders: optional, as the deployer must not
     * restart (breaking off a swap) for the timer bundle's refresh; without it the loaders are not checked.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindTimers")
    void bindTimers(TimerService timers) {
        Timeout check = timers.scheduleAtFixedRate(leftLoaders::check, LEFT_LOADERS_CHECK_MILLIS,
                LEFT_LOADERS_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        cancel(leftLoadersCheck.getAndSet(new TimedCheck(timers, check)));
    }

    /** Called after the bind of a replacement, whose check must stay: only the leaving service's goes. */
    void unbindTimers(TimerService timers) {
        TimedCheck current = leftLoadersCheck.get();
        if (current != null && current.timers() == timers && leftLoadersCheck.compareAndSet(current, null)) {
            cancel(current);
        }
    }

    private static void cancel(TimedCheck check) {
        if (check != null) {
            check.timeout().cancel();
        }
    }

    /** The check of the left loaders, and the timer service it was scheduled with. */
    private record TimedCheck(TimerService timers, Timeout timeout) {
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
        // first, before any write
        changes.onWorker("the removal of what a deployer killed halfway left", this::removeLeftovers);
        changes.onWorker("the take-over of the service bundles installed before it", takeOver::run);
        configListener = context.registerService(ConfigurationListener.class, changes::configurationEvent, null);
        context.addBundleListener(bundleListener);
        context.addBundleListener(stopDrain);
        changes.requestReconcile();
        // on the deployer's thread, between passes; only the jars of failed versions are looked at
        worker.scheduleWithFixedDelay(changes::retryChangedJars, jarPollMillis, jarPollMillis, TimeUnit.MILLISECONDS);
        started = new OnceStarted(context, changes::forgetUnnamedAtStart);
        started.open();
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
        // the timer service is the bundle's: a deployer restarted in the same bundle would leave it running
        cancel(leftLoadersCheck.getAndSet(null));
        // Deployed services keep running: a deployer that is updated or restarted adopts them again (a
        // container that stops has drained them already, before this: StopDrain).
        worker.shutdownNow();
        if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
            log.warn("msf-deploy: the running change did not stop within 30 s");
        }
    }

    /** Whether the clean-up at the start has run: from then on, each change of a source has it run again. */
    private boolean containerStarted() {
        OnceStarted once = started;
        return once != null && once.ran();
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

    // ---- ArtifactInstaller: the jars of the deploy folder ----

    @Override
    public boolean canHandle(File artifact) {
        return changes.canHandle(artifact);
    }

    @Override
    public void install(File artifact) {
        changes.install(artifact);
    }

    @Override
    public void update(File artifact) {
        changes.update(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        changes.uninstall(artifact);
    }

    // ---- Deployer ----

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
     * supervisor's crash loop: a liveness probe's restart of the container would not wire it again. WARN too
     * while a removed version's class loader is leaked ({@link LeftLoaders}), until it is collected.
     */
    @Override
    public HealthResult check() {
        List<String> warnings = new ArrayList<>(reconciliation.notRunning());
        warnings.addAll(leftLoaders.warnings());
        return warnings.isEmpty() ? HealthResult.up("the running version of every deployed service runs")
                : HealthResult.warn(String.join("; ", warnings));
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

    /** The keys of {@code pid} typed PASSWORD, as the config gate knows them; none without it. */
    private Set<String> passwords(String pid) {
        ConfigValidation known = gate;
        return known == null ? Set.of() : known.passwords(pid);
    }

    @Override
    public Map<String, Object> parameters(String name) {
        return commands.parameters(name);
    }

    @Override
    public Set<String> passwordParameters(String name) {
        return commands.passwordParameters(name);
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
