package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.OutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.Version;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.log.Logger;

/** Which bundles a new version is kept from wiring to while it resolves. */
class VersionsFreshWiringTest {

    @TempDir
    Path folder;

    /**
     * A bundle of the service left installed (here a failed version whose start has not returned)
     * was a candidate for the new version's imports, and the resolver prefers one already resolved:
     * the new version wired to it and was refreshed, restarted without a drain, when it went.
     */
    @Test
    void aNewVersionIsKeptOffEveryOtherInstalledBundleOfTheService() throws Exception {
        Path jar = manifestOnly("demo-2.0.0.jar", "demo");
        Bundle running = bundle(10, new BundleLocation("demo", 6, 0, "repo/demo-1.0.0.jar").toString());
        Bundle leftover = bundle(11, new BundleLocation("demo", 7, 0, "repo/demo-1.5.0.jar").toString());
        Bundle otherService = bundle(12, new BundleLocation("orders", 3, 0, "repo/orders-1.0.0.jar").toString(),
                "orders");
        Bundle fresh = bundle(13, new BundleLocation("demo", 8, 0, jar.toUri().toString()).toString());

        assertThat(candidatesLeft(jar, List.of(running), fresh, running, leftover, otherService))
                .containsExactly(otherService, fresh);
    }

    /**
     * Two services may run one bundle (two configurations naming the same jar). A bundle that exports its
     * api imports it too, and the resolver prefers the copy already resolved: the second service's copy
     * wired to the first's, whose undeploy or swap then refreshed it, restarting the second service
     * without a drain. Each copy is kept to its own exports; bundles of other names stay candidates.
     */
    @Test
    void aNewVersionIsKeptOffTheCopiesOfItsBundlesThatOtherServicesRun() throws Exception {
        Path jar = manifestOnly("demo-1.0.0.jar", "demo");
        Bundle firstCopy = bundle(10, new BundleLocation("demo-a", 6, 0, "repo/demo-1.0.0.jar").toString());
        Bundle otherService = bundle(12, new BundleLocation("orders", 3, 0, "repo/orders-1.0.0.jar").toString(),
                "orders");
        Bundle notDeployed = bundle(14, "file:bundle/5/demo-1.0.0.jar");
        Bundle secondCopy = bundle(13, new BundleLocation("demo-b", 8, 0, jar.toUri().toString()).toString());

        assertThat(candidatesLeft(jar, List.of(), secondCopy, firstCopy, otherService, notDeployed))
                .containsExactly(otherService, notDeployed, secondCopy);
    }

    private Path manifestOnly(String file, String symbolicName) throws Exception {
        Path jar = folder.resolve(file);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            // a manifest only
        }
        return jar;
    }

    /**
     * Brings up {@code fresh} (installed from {@code jar}) beside {@code others}, replacing {@code replacing},
     * and returns which of the candidates for one of its imports (each other bundle's, then its own) the
     * resolver hook leaves it.
     */
    private static List<Bundle> candidatesLeft(Path jar, List<Bundle> replacing, Bundle fresh, Bundle... others)
            throws Exception {
        BundleContext context = mock(BundleContext.class);
        Bundle system = mock(Bundle.class);
        when(system.getLocation()).thenReturn("System Bundle");
        FrameworkStartLevel frameworkLevel = mock(FrameworkStartLevel.class);
        when(frameworkLevel.getStartLevel()).thenReturn(20);
        when(system.adapt(FrameworkStartLevel.class)).thenReturn(frameworkLevel);
        FrameworkWiring frameworkWiring = mock(FrameworkWiring.class);
        when(frameworkWiring.getDependencyClosure(anyCollection())).thenAnswer(call -> call.getArgument(0));
        when(system.adapt(FrameworkWiring.class)).thenReturn(frameworkWiring);
        doAnswer(call -> {
            ((FrameworkListener) call.getArgument(1)).frameworkEvent(
                    new FrameworkEvent(FrameworkEvent.PACKAGES_REFRESHED, system, null));
            return null;
        }).when(frameworkWiring).refreshBundles(anyCollection(), any(FrameworkListener[].class));
        when(context.getBundle(0)).thenReturn(system);
        when(context.installBundle(anyString(), any(InputStream.class))).thenReturn(fresh);
        List<Bundle> all = new ArrayList<>(List.of(system));
        all.addAll(List.of(others));
        all.add(fresh);
        when(context.getBundles()).thenReturn(all.toArray(Bundle[]::new));
        FreshWiring freshWiring = new FreshWiring(() -> new Bundle[0]);
        Logger log = mock(Logger.class);
        Versions versions = new Versions(context, new Locations(List.of()), null, null, () -> null,
                new Refresher(context, log, Duration.ofMillis(100)), freshWiring, log);
        String service = BundleLocation.parse(fresh.getLocation()).orElseThrow().name();
        ServiceSpec spec = new ServiceSpec(service, List.of(jar.toUri().toString()), "", 10, true, service,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Map.of());

        List<Bundle> candidatesLeft = new ArrayList<>();
        long generation = BundleLocation.parse(fresh.getLocation()).orElseThrow().generation();
        assertThatThrownBy(() -> versions.bringUp(spec, generation, replacing, installed -> {
            List<BundleCapability> candidates = new ArrayList<>();
            for (Bundle other : others) {
                candidates.add(capability(other));
            }
            candidates.add(capability(fresh));
            freshWiring.begin(List.of()).filterMatches(requirement(fresh), candidates);
            candidates.forEach(c -> candidatesLeft.add(c.getRevision().getBundle()));
            throw new DeployException("stop here: only the resolution is looked at");
        }, progress -> { })).hasMessage("stop here: only the resolution is looked at");
        return candidatesLeft;
    }

    private static Bundle bundle(long id, String location) {
        return bundle(id, location, "demo");
    }

    private static Bundle bundle(long id, String location, String symbolicName) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getLocation()).thenReturn(location);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.getVersion()).thenReturn(Version.parseVersion("2.0.0"));
        when(bundle.getState()).thenReturn(Bundle.INSTALLED);
        when(bundle.adapt(BundleStartLevel.class)).thenReturn(mock(BundleStartLevel.class));
        return bundle;
    }

    private static BundleCapability capability(Bundle bundle) {
        BundleCapability capability = mock(BundleCapability.class);
        BundleRevision revision = mock(BundleRevision.class);
        when(revision.getBundle()).thenReturn(bundle);
        when(capability.getRevision()).thenReturn(revision);
        return capability;
    }

    private static BundleRequirement requirement(Bundle bundle) {
        BundleRequirement requirement = mock(BundleRequirement.class);
        BundleRevision revision = mock(BundleRevision.class);
        when(revision.getBundle()).thenReturn(bundle);
        when(requirement.getRevision()).thenReturn(revision);
        return requirement;
    }
}
