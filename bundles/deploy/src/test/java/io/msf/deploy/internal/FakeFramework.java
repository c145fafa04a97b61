package io.msf.deploy.internal;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * The framework and Config Admin as the reconciliation sees them, recording what it is asked to
 * do: bundles are plain mocks named by their location, and a location listed in {@link #failing}
 * is installed and started but fails its checks with the reason given (and is removed again).
 * {@link #params} holds the parameters each bundle's own configuration gives it now, and
 * {@link #startLevels} each bundle's start level; while {@link #refusingParams} is set, parameters
 * (not their absence) are refused with that reason and nothing is written. Parameters listed in
 * {@link #notTaken} are written by a live change and then not taken, for the reason given.
 */
final class FakeFramework implements VersionControl, VersionControl.Params {

    final List<String> calls = new ArrayList<>();
    final Set<Bundle> installed = new HashSet<>();
    final Map<String, String> failing = new HashMap<>();
    /** Locations whose bring-up throws this unchecked exception (after removing what it installed, as Versions does). */
    final Map<String, RuntimeException> throwing = new HashMap<>();
    /** Bundles that cannot be looked at, with what {@link #stoppedByHand} throws (uninstalled at that moment). */
    final Map<Bundle, RuntimeException> unreadable = new HashMap<>();
    final Map<Bundle, Map<String, Object>> params = new HashMap<>();
    final Map<Bundle, Integer> startLevels = new HashMap<>();
    String refusingParams;
    final Map<Map<String, Object>, String> notTaken = new HashMap<>();
    /** The parameters each bundle had when it started. */
    final Map<Bundle, Map<String, Object>> startedWith = new HashMap<>();
    int inFlight;
    /** The waits {@link #drain} was given, in order. */
    final List<Duration> drainLimits = new ArrayList<>();
    /** Run by {@link #drain} as it begins: what the test looks at while a version drains. */
    Runnable duringDrain = () -> { };
    /** Run as a version is brought up, before its bundles are installed. */
    Runnable duringBringUp = () -> { };
    /** What {@link #containerStopping} answers: the container's stop drain has begun. */
    volatile boolean containerStopping;
    /** Whether {@link #drain} is interrupted, as it is when the deployer stops meanwhile. */
    boolean drainInterrupted;
    /** Bundles stopped by hand; {@link #startAgain} starts them, unless {@link #notStartingAgain} says why not. */
    final Set<Bundle> stoppedByHand = new HashSet<>();
    String notStartingAgain;
    /** Bundles started by hand whose start failed: not running, their start setting on. */
    final Set<Bundle> notActive = new HashSet<>();
    /** Bundles started by hand whose start has not ended yet (their activator still runs): STARTING. */
    final Set<Bundle> starting = new HashSet<>();
    /** Bundles started by hand with lazy activation, no class loaded from them yet: STARTING, and waiting. */
    final Set<Bundle> awaitingLazyActivation = new HashSet<>();
    /** Bundles whose stop has not returned yet (their activator's stop still runs): STOPPING. */
    final Set<Bundle> stopping = new HashSet<>();
    /** The symbolic name of the bundle at a location, where it is not "demo". */
    final Map<String, String> symbolicNames = new HashMap<>();
    private final AtomicLong ids = new AtomicLong(100);

    /** A bundle as the framework would show one installed from this location (version = its last path part). */
    Bundle bundle(BundleLocation location) {
        Bundle bundle = mock(Bundle.class);
        long id = ids.incrementAndGet();
        String jar = location.location();
        String version = jar.substring(jar.lastIndexOf('/') + 1).replaceAll("[^0-9.]", "").replaceAll("^\\.+|\\.+$", "");
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getLocation()).thenReturn(location.toString());
        when(bundle.getVersion()).thenReturn(Version.parseVersion(version));
        String symbolicName = symbolicNames.getOrDefault(jar, "demo");
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.toString()).thenReturn(symbolicName + " " + version + " [" + id + "]");
        startLevels.put(bundle, ServiceSpecs.DEFAULT_START_LEVEL);
        return bundle;
    }

    @Override
    public List<Bundle> bringUp(ServiceSpec spec, long generation, List<Bundle> replacing, BeforeStart beforeStart,
            Consumer<String> progress) throws DeployException {
        calls.add("bringUp " + spec.locations());
        duringBringUp.run();
        List<Bundle> bundles = new ArrayList<>();
        for (int i = 0; i < spec.locations().size(); i++) {
            bundles.add(bundle(new BundleLocation(spec.name(), generation, i, spec.locations().get(i))));
        }
        installed.addAll(bundles);
        bundles.forEach(bundle -> startLevels.put(bundle, spec.startLevel()));
        beforeStart.accept(bundles);
        bundles.forEach(bundle -> startedWith.put(bundle, params.getOrDefault(bundle, Map.of())));
        for (String location : spec.locations()) {
            if (failing.containsKey(location)) {
                bundles.forEach(installed::remove);
                throw new DeployException(failing.get(location));
            }
            if (throwing.containsKey(location)) {
                bundles.forEach(installed::remove);
                throw throwing.get(location);
            }
        }
        return bundles;
    }

    @Override
    public boolean reconfigure(ServiceSpec spec, Map<String, Object> had, String left, List<Bundle> bundles,
            Write write, Consumer<String> progress) throws IOException, DeployException {
        boolean changed = write.write();
        if (changed && notTaken.containsKey(spec.params())) {
            throw new DeployException(notTaken.get(spec.params()));
        }
        return changed;
    }

    @Override
    public boolean startIfResolved(ServiceSpec spec, List<Bundle> unresolved) {
        calls.add("startIfResolved " + unresolved);
        return false;
    }

    @Override
    public boolean release(List<Bundle> bundles) {
        if (containerStopping) {
            calls.add("release refused " + bundles);
            return false;
        }
        calls.add("release " + bundles);
        return true;
    }

    @Override
    public void hold(List<Bundle> bundles) {
        calls.add("hold " + bundles);
    }

    @Override
    public int inFlight(List<Bundle> bundles) {
        return inFlight;
    }

    @Override
    public int drain(List<Bundle> bundles, Duration limit) throws InterruptedException {
        calls.add("drain " + bundles);
        drainLimits.add(limit);
        duringDrain.run();
        if (drainInterrupted) {
            throw new InterruptedException("the deployer stops");
        }
        return 0;
    }

    @Override
    public void remove(List<Bundle> bundles) {
        calls.add("remove " + bundles);
        bundles.forEach(installed::remove);
    }

    @Override
    public void setStartLevel(List<Bundle> bundles, int startLevel) {
        calls.add("startLevel " + startLevel);
        bundles.forEach(bundle -> startLevels.put(bundle, startLevel));
    }

    @Override
    public boolean stoppedByHand(Bundle bundle) {
        if (unreadable.containsKey(bundle)) {
            throw unreadable.get(bundle);
        }
        return stoppedByHand.contains(bundle);
    }

    @Override
    public boolean active(Bundle bundle) {
        return !stoppedByHand.contains(bundle) && !notActive.contains(bundle) && !starting(bundle)
                && !stopping.contains(bundle);
    }

    @Override
    public boolean starting(Bundle bundle) {
        return starting.contains(bundle) || awaitingLazyActivation.contains(bundle);
    }

    @Override
    public boolean awaitingLazyActivation(Bundle bundle) {
        return awaitingLazyActivation.contains(bundle);
    }

    @Override
    public boolean containerStopping() {
        return containerStopping;
    }

    @Override
    public boolean notReturned(Bundle bundle) {
        // BundleCall.notReturned's rule on the fake's states: one waiting for its lazy activation is STARTING too
        return stopping.contains(bundle) || starting(bundle) && !awaitingLazyActivation(bundle);
    }

    @Override
    public void startAgain(ServiceSpec spec, List<Bundle> bundles, Consumer<String> progress) throws DeployException {
        calls.add("start again " + bundles);
        if (notStartingAgain != null) {
            throw new DeployException(notStartingAgain);
        }
        stoppedByHand.removeAll(bundles);
        notActive.removeAll(bundles);
    }

    @Override
    public int startLevel(Bundle bundle) {
        return startLevels.get(bundle);
    }

    @Override
    public boolean apply(ServiceSpec spec, List<Bundle> bundles) throws IOException {
        calls.add("params " + spec.params() + " for " + bundles);
        if (refusingParams != null && !spec.params().isEmpty()) {
            throw new IOException(refusingParams);
        }
        boolean changed = false;
        for (Bundle bundle : bundles) {
            Map<String, Object> before = spec.params().isEmpty() ? params.remove(bundle)
                    : params.put(bundle, spec.params());
            changed |= !spec.params().equals(before == null ? Map.of() : before);
        }
        return changed;
    }

    @Override
    public void discard(List<Bundle> bundles) {
        calls.add("params removed for " + bundles);
        bundles.forEach(params::remove);
    }

    @Override
    public void keepOnly(String service, List<Bundle> bundles) {
        calls.add("params kept only for " + bundles);
        params.keySet().removeIf(bundle -> !bundles.contains(bundle)
                && BundleLocation.parse(bundle.getLocation()).orElseThrow().name().equals(service));
    }

    @Override
    public void keepOnlyInstalled(List<Bundle> installed) {
        calls.add("params kept only for installed " + installed);
        params.keySet().removeIf(bundle -> !installed.contains(bundle));
    }

    @Override
    public void keepOnlyServices(Set<String> services) {
        calls.add("params kept only for services " + services);
        params.keySet().removeIf(bundle -> !services.contains(BundleLocation.parse(bundle.getLocation()).orElseThrow()
                .name()));
    }

    @Override
    public Optional<Given> given(String service, String pid, Bundle bundle) {
        return Optional.ofNullable(params.get(bundle)).map(given -> new Given(pid, given));
    }
}
