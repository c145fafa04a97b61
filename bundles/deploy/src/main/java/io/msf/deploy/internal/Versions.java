package io.msf.deploy.internal;

import io.msf.agent.api.RouteControl;
import io.msf.monitor.api.HealthResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.log.Logger;

/**
 * Brings one version of a service up beside whatever runs, switches traffic to it, takes versions
 * down, and sees a running version through a live change of its parameters: the framework half of
 * a deployment.
 *
 * <p>A new version's bundles are held by the agent ({@link RouteControl#hold}) from before they
 * start until they are ready and healthy, so no request reaches a version that may yet be
 * removed. Without the agent the holding and draining are skipped.
 */
final class Versions implements VersionControl {

    /** How often readiness and health are asked while a version comes up or drains. */
    private static final long POLL_MILLIS = 10;
    /** Said of a jar that is no bundle, after its path (as a jar of the deploy folder is refused). */
    static final String NO_SYMBOLIC_NAME = "is a jar but not an OSGi bundle: its manifest has no Bundle-SymbolicName";

    private final BundleContext context;
    private final Locations locations;
    private final ComponentStates components;
    private final HealthGate health;
    private final Supplier<RouteControl> routes;
    /** What the agent was told of each bundle, told again to an agent that comes back. */
    private final RouteStates routeStates;
    private final Refresher refresher;
    private final FreshWiring freshWiring;
    private final Logger log;
    /** Set once, by {@link StopDrain}, before it holds the services. */
    private volatile boolean containerStopping;

    Versions(BundleContext context, Locations locations, ComponentStates components, HealthGate health,
            Supplier<RouteControl> routes, Refresher refresher, FreshWiring freshWiring, Logger log) {
        this.context = context;
        this.locations = locations;
        this.components = components;
        this.health = health;
        this.routes = routes;
        this.routeStates = new RouteStates(routes, this::installed);
        this.refresher = refresher;
        this.freshWiring = freshWiring;
        this.log = log;
    }

    /**
     * Installs and starts the spec's bundles, held, and waits until their components are up and
     * their health passes. On failure removes what it installed and throws with the reason.
     */
    @Override
    public List<Bundle> bringUp(ServiceSpec spec, long generation, List<Bundle> replacing, BeforeStart beforeStart,
            Consumer<String> progress) throws DeployException, InterruptedException {
        List<Bundle> installed = new ArrayList<>();
        BundleCall start = null;
        try {
            checkStartLevel(spec);
            for (int i = 0; i < spec.locations().size(); i++) {
                installed.add(install(spec, generation, i));
            }
            setStartLevel(installed, spec.startLevel());
            hold(installed);
            List<Bundle> old = sameService(spec.name(), replacing, installed);
            freshWiring.isolate(installed, old, otherServicesCopies(spec.name(), installed));
            beforeStart.accept(installed);
            for (Bundle bundle : installed) {
                progress.accept("starting " + describe(bundle));
                start = BundleCall.start(bundle);
                start.await(spec.healthTimeout(), "healthTimeoutMillis", "it is removed once its start returns");
            }
            Optional<String> leftUnresolved = SwapWiring.problem(installed, old, context.getBundles());
            if (leftUnresolved.isPresent()) {
                throw new DeployException(leftUnresolved.get());
            }
            awaitUp(spec, installed, () -> components.readiness(installed), true, progress);
            return installed;
        } catch (DeployException | InterruptedException | RuntimeException e) {
            if (start != null && !start.ended()) {
                // held, so no request reaches them; an uninstall now would wait as long as the start
                removeOnceEnded(spec, start, installed);
            } else {
                remove(installed);
            }
            throw e;
        } finally {
            freshWiring.forget(installed);
        }
    }

    /**
     * The bundles the new version must not wire to: those it replaces, and any other bundle of the
     * service still installed (a failed version held until its start returns, an old one whose stop
     * was let go, leftovers of an undeploy). The resolver prefers a provider already resolved, so the
     * new version would wire to a leftover and be refreshed, restarted without a drain, when it goes.
     */
    private List<Bundle> sameService(String name, List<Bundle> replacing, List<Bundle> fresh) {
        List<Bundle> old = new ArrayList<>(replacing);
        for (Bundle bundle : context.getBundles()) {
            if (!fresh.contains(bundle) && !old.contains(bundle) && BundleLocation.parse(bundle.getLocation())
                    .map(location -> location.name().equals(name)).orElse(false)) {
                old.add(bundle);
            }
        }
        return old;
    }

    /**
     * The copies other services run of the new version's bundles (two configurations naming one jar):
     * bundles the deployer installed for another service, of a symbolic name among the new version's. A
     * bundle that exports its api imports it too, and the resolver prefers the copy already resolved:
     * the new version would wire to the other service's copy and be refreshed, restarted without a
     * drain, at that service's every swap and undeploy. Kept off them, each copy wires to its own.
     */
    private List<Bundle> otherServicesCopies(String name, List<Bundle> fresh) {
        Set<String> names = new HashSet<>();
        fresh.forEach(bundle -> names.add(bundle.getSymbolicName()));
        List<Bundle> copies = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (!fresh.contains(bundle) && names.contains(bundle.getSymbolicName()) && BundleLocation.parse(
                    bundle.getLocation()).map(location -> !location.name().equals(name)).orElse(false)) {
                copies.add(bundle);
            }
        }
        return copies;
    }

    @Override
    public boolean reconfigure(ServiceSpec spec, Map<String, Object> had, String left, List<Bundle> bundles,
            Write write, Consumer<String> progress) throws IOException, DeployException, InterruptedException {
        ComponentStates.Baseline baseline = components.baseline(bundles, left);
        // a version that was not healthy before is not held to it after: the change is not what made it so
        boolean healthyBefore = HealthGate.passes(health.check(bundles, spec.healthTimeout()));
        if (!write.write()) {
            return false;
        }
        awaitUp(spec, bundles, () -> components.taken(bundles, spec, had, baseline), healthyBefore, progress);
        return true;
    }

    /** New requests for the service's names go to these bundles from now on. */
    @Override
    public synchronized boolean release(List<Bundle> bundles) {
        // a version brought up while the container stops would take requests its drain does not wait for;
        // synchronized with containerStops: a release under way when the stop begins ends before the drain reads
        if (containerStopping) {
            return false;
        }
        bundles.forEach(bundle -> routeStates.release(bundle.getBundleId()));
        return true;
    }

    /** The container stops: from now on nothing is released, and no new step begins. */
    synchronized void containerStops() {
        containerStopping = true;
    }

    @Override
    public boolean containerStopping() {
        return containerStopping;
    }

    @Override
    public void hold(List<Bundle> bundles) {
        bundles.forEach(bundle -> routeStates.hold(bundle.getBundleId()));
    }

    /** Requests from outside the container no longer reach these bundles; in-container ones still do. */
    void holdFromOutside(List<Bundle> bundles) {
        bundles.forEach(bundle -> routeStates.holdFromOutside(bundle.getBundleId()));
    }

    /**
     * An agent has come (DS bound it): it is told again what each service bundle is, as its holds and
     * preferences are in memory only, and one that came back after a stop of its bundle knows none.
     */
    void agentBound() {
        routeStates.tellAgain();
    }

    private boolean installed(long bundleId) {
        try {
            return context.getBundle(bundleId) != null;
        } catch (IllegalStateException stopping) {
            return true; // the deployer stops: nothing is told from now on, so what is kept no longer matters
        }
    }

    /** Requests delivered to these bundles and not answered yet; 0 without the agent. */
    @Override
    public int inFlight(List<Bundle> bundles) {
        RouteControl route = routes.get();
        if (route == null) {
            return 0;
        }
        int sum = 0;
        for (Bundle bundle : bundles) {
            sum += route.inFlight(bundle.getBundleId());
        }
        return sum;
    }

    /** Waits until these bundles have answered what they have, or the limit passes; returns what is left. */
    @Override
    public int drain(List<Bundle> bundles, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        // No wait for stragglers first: once release() has returned, a request on its way to the old
        // version is either counted here already or routed to the new one (RouteControl#release).
        int left = inFlight(bundles);
        while (left > 0 && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
            left = inFlight(bundles);
        }
        return left;
    }

    /**
     * Stops and uninstalls the bundles, then refreshes them (and only what is wired to them). A bundle
     * whose stop has not returned within the {@link StopLimit} is left to end on its own thread, and the
     * refresh waits for it there: refreshing a bundle still stopping would wait for it too, holding the
     * framework's global lock, and so stop every other bundle operation.
     */
    @Override
    public void remove(List<Bundle> bundles) throws InterruptedException {
        List<Bundle> gone = new ArrayList<>();
        List<CompletableFuture<Void>> stuck = new ArrayList<>();
        // told to stop (the deployer deactivated): the uninstalls still all go ahead, as they did on
        // this thread, but end on their own threads
        boolean interrupted = false;
        // their class loaders, watched for a leak (LeftLoaders): taken while they have them
        refresher.uninstalling(bundles);
        for (Bundle bundle : bundles) {
            if (bundle.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            BundleCall uninstall = BundleCall.uninstall(bundle); // stops it first
            if (!interrupted) {
                try {
                    uninstall.await(refresher.limit(), "the deployer's limit for a stop, " + StopLimit.PROPERTY,
                            "it is removed once its stop returns");
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (DeployException e) {
                    if (uninstall.ended()) {
                        log.warn("{}: uninstall failed: {}", describe(bundle), e.getMessage());
                    } else {
                        log.warn("{}", e.getMessage());
                    }
                }
            }
            if (!uninstall.ended()) {
                stuck.add(uninstall.end());
            }
            gone.add(bundle);
        }
        if (stuck.isEmpty() && !interrupted) {
            refresher.refresh(gone);
            return;
        }
        CompletableFuture.allOf(stuck.toArray(CompletableFuture[]::new)).whenComplete((ignored, failure) -> {
            try {
                refresher.refresh(gone);
                log.info("{} uninstalled once their stop returned; their refresh follows", gone);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error("refresh of {} failed: {}", gone, e.toString(), e);
            }
        });
        if (interrupted) {
            throw new InterruptedException("stopped waiting for the uninstall of " + gone);
        }
    }

    @Override
    public void setStartLevel(List<Bundle> bundles, int startLevel) {
        bundles.forEach(bundle -> bundle.adapt(BundleStartLevel.class).setStartLevel(startLevel));
    }

    @Override
    public boolean stoppedByHand(Bundle bundle) {
        int state = bundle.getState();
        if (state != Bundle.RESOLVED && state != Bundle.INSTALLED) {
            return false;
        }
        BundleStartLevel startLevel = bundle.adapt(BundleStartLevel.class);
        return startLevel != null && !startLevel.isPersistentlyStarted();
    }

    @Override
    public boolean active(Bundle bundle) {
        return bundle.getState() == Bundle.ACTIVE;
    }

    @Override
    public boolean starting(Bundle bundle) {
        return bundle.getState() == Bundle.STARTING;
    }

    @Override
    public boolean awaitingLazyActivation(Bundle bundle) {
        return BundleCall.awaitingLazyActivation(bundle);
    }

    @Override
    public boolean notReturned(Bundle bundle) {
        return BundleCall.notReturned(bundle);
    }

    @Override
    public void startAgain(ServiceSpec spec, List<Bundle> bundles, Consumer<String> progress)
            throws DeployException, InterruptedException {
        BundleCall start = null;
        try {
            for (Bundle bundle : bundles) {
                progress.accept("starting " + describe(bundle));
                start = BundleCall.start(bundle);
                // its bundles stay installed: they are the running version, stopped by hand
                start.await(spec.healthTimeout(), "healthTimeoutMillis", "it is stopped again once its start returns");
            }
            awaitUp(spec, bundles, () -> components.readiness(bundles), true, progress);
        } catch (DeployException | InterruptedException | RuntimeException e) {
            // left as the operator left them: stopped, until the next change
            if (start != null && !start.ended()) {
                start.whenEnded(() -> stop(bundles));
            } else {
                stop(bundles);
            }
            throw e;
        }
    }

    @Override
    public boolean startIfResolved(ServiceSpec spec, List<Bundle> unresolved) throws DeployException, InterruptedException {
        if (!context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(unresolved)) {
            return false;
        }
        for (Bundle bundle : unresolved) {
            BundleCall.start(bundle).await(spec.healthTimeout(), "healthTimeoutMillis", "it runs once its start returns");
        }
        return true;
    }

    private void stop(List<Bundle> bundles) {
        for (Bundle bundle : bundles) {
            try {
                bundle.stop();
            } catch (BundleException | IllegalStateException stopFailed) {
                log.warn("{}: stop failed: {}", describe(bundle), stopFailed.getMessage());
            }
        }
    }

    /**
     * Removes a failed version once the start it waits for has ended, on that start's thread: the
     * deployer goes on meanwhile. Until then its bundles stay installed, held.
     */
    private void removeOnceEnded(ServiceSpec spec, BundleCall start, List<Bundle> bundles) {
        List<Bundle> version = List.copyOf(bundles);
        log.warn("{}: {} left installed until its start returns: {}", spec.name(), version, start.where());
        start.whenEnded(() -> {
            try {
                remove(version);
                log.info("{}: the start of {} returned; removed", spec.name(), version);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error("{}: removal of {} failed: {}", spec.name(), version, e.toString(), e);
            }
        });
    }

    @Override
    public int startLevel(Bundle bundle) {
        return bundle.adapt(BundleStartLevel.class).getStartLevel();
    }

    /**
     * A start level above the framework's is never reached. While the framework starts, what counts
     * is the level it is climbing to ({@code org.osgi.framework.startlevel.beginning}): the bundles
     * then start when it gets there, and the readiness wait covers that.
     */
    private void checkStartLevel(ServiceSpec spec) throws DeployException {
        int active = context.getBundle(0).adapt(FrameworkStartLevel.class).getStartLevel();
        int reachable = Math.max(active, beginningStartLevel());
        if (spec.startLevel() > reachable) {
            throw new DeployException("key 'startLevel': " + spec.startLevel() + " is above the framework's start"
                    + " level " + reachable + ", so the bundles would never start");
        }
    }

    private int beginningStartLevel() {
        String beginning = context.getProperty("org.osgi.framework.startlevel.beginning");
        try {
            return beginning == null ? 1 : Integer.parseInt(beginning.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private Bundle install(ServiceSpec spec, long generation, int index) throws DeployException {
        String location = spec.locations().get(index);
        Path jar;
        try {
            jar = locations.resolve(location, spec.version());
        } catch (IllegalArgumentException e) {
            throw new DeployException(e.getMessage());
        }
        Optional<String> refused = notABundle(jar);
        if (refused.isPresent()) {
            throw new DeployException(Locations.shown(jar) + " " + refused.get());
        }
        BundleLocation id = new BundleLocation(spec.name(), generation, index, location);
        Bundle bundle;
        try (InputStream in = Files.newInputStream(jar)) {
            bundle = context.installBundle(id.toString(), in);
        } catch (Exception e) {
            throw new DeployException(Locations.shown(jar) + " cannot be installed: " + reason(e), e);
        }
        if (bundle.getSymbolicName() != null && !location.startsWith("mvn:") && !spec.version().isEmpty()
                && !sameVersion(spec.version(), bundle.getVersion())) {
            uninstallRefused(bundle);
            throw new DeployException("key 'version': " + Locations.shown(jar) + " holds version " + bundle.getVersion()
                    + ", the configuration asks for " + spec.version());
        }
        if (bundle.getSymbolicName() == null) {
            // a plain jar: the framework takes it as a bundle of the first OSGi release, which needed no name
            uninstallRefused(bundle);
            throw new DeployException(Locations.shown(jar) + " " + NO_SYMBOLIC_NAME);
        }
        log.info("{}: installed {} from {}", spec.name(), describe(bundle), Locations.shown(jar));
        return bundle;
    }

    private void uninstallRefused(Bundle bundle) {
        try {
            bundle.uninstall();
        } catch (BundleException e) {
            log.warn("{}: uninstall failed: {}", describe(bundle), e.getMessage());
        }
    }

    /**
     * Why a jar cannot be a service's bundle, empty if it can be tried: a plain jar, whose manifest
     * names no bundle; no zip, or one cut short (still being written: it is tried again once it
     * changes), said as the deploy/ folder says it, where the framework's reason would name its cache
     * and the bundle's internal location. One that cannot be read at all is left to the framework,
     * whose reason says what is wrong with it.
     */
    static Optional<String> notABundle(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            return name == null || name.isBlank() ? Optional.of(NO_SYMBOLIC_NAME) : Optional.empty();
        } catch (ZipException notZip) {
            return Optional.of(DeployFolder.notComplete(jar, notZip));
        } catch (IOException | SecurityException unreadable) {
            return Optional.empty();
        }
    }

    static boolean sameVersion(String wanted, Version actual) {
        try {
            return Version.parseVersion(wanted.replaceFirst("-", ".")).equals(actual);
        } catch (IllegalArgumentException notOsgi) {
            return wanted.equals(actual.toString());
        }
    }

    /**
     * The exception's message followed by each cause that it does not say already: the framework's
     * own messages say only that a jar could not be read ("Could not create bundle object.") or that
     * an activator failed ("Activator start error in bundle ..."); what went wrong is in the cause.
     */
    static String reason(Throwable e) {
        StringBuilder reason = new StringBuilder(e.getMessage() == null ? e.toString() : e.getMessage());
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = e.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
            String said = cause.toString();
            if (reason.indexOf(said) < 0) {
                reason.append(": ").append(said);
            }
        }
        return reason.toString();
    }

    /**
     * Waits until the bundles are ready and, if {@code checkHealth}, healthy, within
     * {@code healthTimeoutMillis}; throws with the reason otherwise.
     */
    private void awaitUp(ServiceSpec spec, List<Bundle> bundles, Supplier<Readiness> readinessNow, boolean checkHealth,
            Consumer<String> progress) throws DeployException, InterruptedException {
        long deadline = System.nanoTime() + spec.healthTimeout().toNanos();
        String waitingFor = "";
        while (true) {
            Readiness readiness = readinessNow.get();
            if (readiness.verdict() == Readiness.Verdict.FAILED) {
                throw new DeployException(readiness.reason());
            }
            if (readiness.verdict() == Readiness.Verdict.READY) {
                if (!checkHealth) {
                    return;
                }
                Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000));
                HealthResult result = health.check(bundles, left);
                if (HealthGate.passes(result)) {
                    return;
                }
                waitingFor = "health " + result.status() + ": " + result.detail();
            } else {
                waitingFor = readiness.reason();
            }
            if (System.nanoTime() >= deadline) {
                throw new DeployException("not ready within healthTimeoutMillis=" + spec.healthTimeout().toMillis()
                        + ": " + waitingFor);
            }
            progress.accept("waiting: " + waitingFor);
            Thread.sleep(POLL_MILLIS);
        }
    }

    static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion() + " [" + bundle.getBundleId() + "]";
    }
}
