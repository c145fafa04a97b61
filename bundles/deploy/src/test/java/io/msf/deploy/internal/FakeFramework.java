package io.msf.deploy.internal;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * The framework and Config Admin as the reconciliation sees them, recording what it is asked to
 * do: bundles are plain mocks named by their location, and a location listed in {@link #failing}
 * fails to come up with the reason given.
 */
final class FakeFramework implements VersionControl, VersionControl.Params {

    final List<String> calls = new ArrayList<>();
    final Set<Bundle> installed = new HashSet<>();
    final Map<String, String> failing = new HashMap<>();
    final Map<String, Map<String, Object>> params = new HashMap<>();
    int inFlight;
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
        when(bundle.getSymbolicName()).thenReturn("demo");
        when(bundle.toString()).thenReturn("demo " + version + " [" + id + "]");
        return bundle;
    }

    @Override
    public List<Bundle> bringUp(ServiceSpec spec, long generation, List<Bundle> replacing, Consumer<String> progress)
            throws DeployException {
        calls.add("bringUp " + spec.locations());
        for (String location : spec.locations()) {
            if (failing.containsKey(location)) {
                throw new DeployException(failing.get(location));
            }
        }
        List<Bundle> bundles = new ArrayList<>();
        for (int i = 0; i < spec.locations().size(); i++) {
            bundles.add(bundle(new BundleLocation(spec.name(), generation, i, spec.locations().get(i))));
        }
        installed.addAll(bundles);
        return bundles;
    }

    @Override
    public void release(List<Bundle> bundles) {
        calls.add("release " + bundles);
    }

    @Override
    public int inFlight(List<Bundle> bundles) {
        return inFlight;
    }

    @Override
    public int drain(List<Bundle> bundles, Duration limit) {
        calls.add("drain " + bundles);
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
    }

    @Override
    public boolean apply(ServiceSpec spec) {
        calls.add("params " + spec.params());
        return !spec.params().equals(params.put(spec.pid(), spec.params()));
    }

    @Override
    public void remove(ServiceSpec spec) {
        calls.add("params removed");
        params.remove(spec.pid());
    }
}
