package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.problems.testing.RunningFramework;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/** The resolver hook that keeps a new version off the old version's exports, and off other services' copies. */
class FreshWiringTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final RunningFramework framework = new RunningFramework(Map.of(Constants.FRAMEWORK_BSNVERSION,
            Constants.FRAMEWORK_BSNVERSION_MULTIPLE));

    private final FreshWiring wiring = new FreshWiring(() -> framework.context().getBundles());
    private final Bundle old = bundle(10);
    private final Bundle fresh = bundle(11);
    private final Bundle other = bundle(12);

    @Test
    void theNewVersionImportsItsOwnApiRatherThanTheOldOnes() {
        wiring.isolate(List.of(fresh), List.of(old), List.of());
        List<BundleCapability> candidates = new ArrayList<>(List.of(capability(old), capability(fresh)));
        hook().filterMatches(requirement(fresh), candidates);
        assertThat(candidates).extracting(c -> c.getRevision().getBundle()).containsExactly(fresh);
    }

    @Test
    void theOldExportStaysWhenItIsTheOnlyCandidateAndOthersAreNotAffected() {
        wiring.isolate(List.of(fresh), List.of(old), List.of());
        List<BundleCapability> only = new ArrayList<>(List.of(capability(old)));
        hook().filterMatches(requirement(fresh), only);
        assertThat(only).hasSize(1);

        List<BundleCapability> forOthers = new ArrayList<>(List.of(capability(old), capability(fresh)));
        hook().filterMatches(requirement(other), forOthers);
        assertThat(forOthers).hasSize(2);
    }

    @Test
    void oldAndNewMayBothBeResolvedSingletonsUntilForgotten() {
        wiring.isolate(List.of(fresh), List.of(old), List.of());
        List<BundleCapability> collisions = new ArrayList<>(List.of(capability(old), capability(other)));
        hook().filterSingletonCollisions(capability(fresh), collisions);
        assertThat(collisions).extracting(c -> c.getRevision().getBundle()).containsExactly(other);

        wiring.forget(List.of(fresh));
        List<BundleCapability> after = new ArrayList<>(List.of(capability(old), capability(fresh)));
        hook().filterMatches(requirement(fresh), after);
        assertThat(after).hasSize(2);
    }

    /**
     * Two services running one jar, in a real framework: the second copy, resolved beside the first, imports
     * its api from itself, so the first one's removal (its undeploy, a swap) does not refresh it. Without
     * the hook it wired to the first copy, and was in what that one's removal refreshes.
     */
    @Test
    void aCopyOfABundleAnotherServiceRunsImportsItsApiFromItself() throws Exception {
        Path jar = apiExportingJar();
        BundleContext context = framework.context();
        context.registerService(ResolverHookFactory.class, wiring, null);
        FrameworkWiring frameworkWiring = context.getBundle(0).adapt(FrameworkWiring.class);
        Bundle first = install(context, "msf.service:a#1/0:x.jar", jar);
        assertThat(frameworkWiring.resolveBundles(List.of(first))).isTrue();

        Bundle second = install(context, "msf.service:b#2/0:x.jar", jar);
        wiring.isolate(List.of(second), List.of(), List.of(first));
        assertThat(frameworkWiring.resolveBundles(List.of(second))).isTrue();
        wiring.forget(List.of(second));

        BundleWiring secondWiring = second.adapt(BundleWiring.class);
        // an import a bundle takes from its own export is no wire: the export is what it uses
        assertThat(secondWiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)).isEmpty();
        assertThat(secondWiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)).hasSize(1);
        assertThat(frameworkWiring.getDependencyClosure(List.of(first))).containsExactly(first);
    }

    /**
     * The two copies resolved again together, with no version coming up: as a refresh does when both are wired
     * to a bundle removed (a swap of an api both import). Neither resolved then, the framework took the lower
     * id's export for both, and the copies were tied again.
     */
    @Test
    void copiesResolvedAgainTogetherStillImportTheirApiFromThemselves() throws Exception {
        Path jar = apiExportingJar();
        BundleContext context = framework.context();
        context.registerService(ResolverHookFactory.class, wiring, null);
        FrameworkWiring frameworkWiring = context.getBundle(0).adapt(FrameworkWiring.class);
        Bundle first = install(context, "msf.service:a#1/0:x.jar", jar);
        Bundle second = install(context, "msf.service:b#2/0:x.jar", jar);
        Bundle notDeployed = install(context, "file:x.jar", jar);

        assertThat(frameworkWiring.resolveBundles(List.of(first, second, notDeployed))).isTrue();

        assertThat(frameworkWiring.getDependencyClosure(List.of(first))).as("a bundle not deployed is left to the"
                + " framework, which wires it to the lowest id's export").containsExactlyInAnyOrder(first, notDeployed);
        assertThat(frameworkWiring.getDependencyClosure(List.of(second))).containsExactly(second);
    }

    /**
     * Two services of an api jar and an impl jar each, the second's resolved as at a restart (adopted
     * bundles) or a refresh, with no version coming up: its impl imports the api its own service runs, not
     * the first service's copy, already resolved, which would tie it to the first service's every swap and
     * undeploy (a restart without a drain).
     */
    @Test
    void aServicesBundleImportsFromItsOwnServicesCopyOfAnotherOfItsBundles() throws Exception {
        Path api = Files.write(dir.resolve("api.jar"), DeployFolderTest.bundle("io.msf.x.api", "1.0.0",
                Map.of("Export-Package", "io.msf.x.api;version=\"1.0.0\"")));
        Path impl = Files.write(dir.resolve("impl.jar"), DeployFolderTest.bundle("io.msf.x.impl", "1.0.0",
                Map.of("Import-Package", "io.msf.x.api;version=\"[1,2)\"")));
        BundleContext context = framework.context();
        context.registerService(ResolverHookFactory.class, wiring, null);
        FrameworkWiring frameworkWiring = context.getBundle(0).adapt(FrameworkWiring.class);
        Bundle firstApi = install(context, "msf.service:a#1/0:api.jar", api);
        Bundle firstImpl = install(context, "msf.service:a#1/1:impl.jar", impl);
        assertThat(frameworkWiring.resolveBundles(List.of(firstApi, firstImpl))).isTrue();

        Bundle secondApi = install(context, "msf.service:b#2/0:api.jar", api);
        Bundle secondImpl = install(context, "msf.service:b#2/1:impl.jar", impl);
        assertThat(frameworkWiring.resolveBundles(List.of(secondApi, secondImpl))).isTrue();

        assertThat(secondImpl.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE))
                .singleElement().satisfies(wire -> assertThat(wire.getProvider().getBundle()).isEqualTo(secondApi));
        assertThat(frameworkWiring.getDependencyClosure(List.of(firstApi)))
                .containsExactlyInAnyOrder(firstApi, firstImpl);
    }

    /**
     * Two services of a host jar and a fragment of it each: each service's fragment attaches to its own
     * service's host only. The framework also attaches a fragment already resolved to a host that comes
     * later: the first service's fragment went onto the second's host too, often as its only fragment of
     * that name (the second's own was left unattached), and the first's undeploy or swap refreshed the
     * second: a fragment's removal refreshes every host it is attached to.
     */
    @RepeatedTest(10) // the framework's order of candidates varies; the fragment went astray in about half
    void aServicesFragmentAttachesToItsOwnServicesHostOnly() throws Exception {
        BundleContext context = framework.context();
        context.registerService(ResolverHookFactory.class, wiring, null);
        FrameworkWiring frameworkWiring = context.getBundle(0).adapt(FrameworkWiring.class);
        Bundle firstHost = install(context, "msf.service:a#1/0:host.jar", hostJar());
        Bundle firstFragment = install(context, "msf.service:a#1/1:fragment.jar", fragmentJar());
        assertThat(frameworkWiring.resolveBundles(List.of(firstHost, firstFragment))).isTrue();

        Bundle secondHost = install(context, "msf.service:b#2/0:host.jar", hostJar());
        Bundle secondFragment = install(context, "msf.service:b#2/1:fragment.jar", fragmentJar());
        wiring.isolate(List.of(secondHost, secondFragment), List.of(), List.of(firstHost, firstFragment));
        assertThat(frameworkWiring.resolveBundles(List.of(secondHost, secondFragment))).isTrue();
        wiring.forget(List.of(secondHost, secondFragment));

        assertThat(hostsOf(firstFragment)).containsExactly(firstHost);
        assertThat(hostsOf(secondFragment)).containsExactly(secondHost);
        assertThat(frameworkWiring.getDependencyClosure(List.of(firstFragment)))
                .containsExactlyInAnyOrder(firstHost, firstFragment);
    }

    /**
     * A swap of a service of a host and its fragment: the old version's fragment, resolved, stays off the new
     * version's host, which takes its own. On the new host too, it would be what removing the old version
     * refreshes, a restart of the new version without a drain.
     */
    @RepeatedTest(10)
    void theOldVersionsFragmentStaysOffTheNewVersionsHost() throws Exception {
        BundleContext context = framework.context();
        context.registerService(ResolverHookFactory.class, wiring, null);
        FrameworkWiring frameworkWiring = context.getBundle(0).adapt(FrameworkWiring.class);
        Bundle oldHost = install(context, "msf.service:a#1/0:host.jar", hostJar());
        Bundle oldFragment = install(context, "msf.service:a#1/1:fragment.jar", fragmentJar());
        assertThat(frameworkWiring.resolveBundles(List.of(oldHost, oldFragment))).isTrue();

        Bundle newHost = install(context, "msf.service:a#2/0:host.jar", hostJar());
        Bundle newFragment = install(context, "msf.service:a#2/1:fragment.jar", fragmentJar());
        wiring.isolate(List.of(newHost, newFragment), List.of(oldHost, oldFragment), List.of());
        assertThat(frameworkWiring.resolveBundles(List.of(newHost, newFragment))).isTrue();
        wiring.forget(List.of(newHost, newFragment));

        assertThat(hostsOf(oldFragment)).containsExactly(oldHost);
        assertThat(hostsOf(newFragment)).containsExactly(newHost);
        assertThat(frameworkWiring.getDependencyClosure(List.of(oldFragment)))
                .containsExactlyInAnyOrder(oldHost, oldFragment);
    }

    private Path hostJar() throws IOException {
        return Files.write(dir.resolve("host.jar"), DeployFolderTest.bundle("io.msf.x", "1.0.0", Map.of()));
    }

    private Path fragmentJar() throws IOException {
        return Files.write(dir.resolve("fragment.jar"), DeployFolderTest.bundle("io.msf.x.fragment", "1.0.0",
                Map.of(Constants.FRAGMENT_HOST, "io.msf.x")));
    }

    private static List<Bundle> hostsOf(Bundle fragment) {
        return fragment.adapt(BundleWiring.class).getRequiredWires(HostNamespace.HOST_NAMESPACE).stream()
                .map(wire -> wire.getProvider().getBundle()).toList();
    }

    /** Another service's copy of a singleton is no version it replaces: the two stay a collision. */
    @Test
    void aCopyIsNoExceptionToASingleton() {
        wiring.isolate(List.of(fresh), List.of(), List.of(old));
        List<BundleCapability> collisions = new ArrayList<>(List.of(capability(old)));
        hook().filterSingletonCollisions(capability(fresh), collisions);
        assertThat(collisions).hasSize(1);

        List<BundleCapability> candidates = new ArrayList<>(List.of(capability(old), capability(fresh)));
        hook().filterMatches(requirement(fresh), candidates);
        assertThat(candidates).extracting(c -> c.getRevision().getBundle()).containsExactly(fresh);
    }

    private static Bundle install(BundleContext context, String location, Path jar) throws Exception {
        try (InputStream in = Files.newInputStream(jar)) {
            return context.installBundle(location, in);
        }
    }

    private ResolverHook hook() {
        return wiring.begin(List.of());
    }

    private static Bundle bundle(long id) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        return bundle;
    }

    private static BundleRevision revision(Bundle bundle) {
        BundleRevision revision = mock(BundleRevision.class);
        when(revision.getBundle()).thenReturn(bundle);
        return revision;
    }

    private static BundleCapability capability(Bundle bundle) {
        BundleCapability capability = mock(BundleCapability.class);
        BundleRevision revision = revision(bundle);
        when(capability.getRevision()).thenReturn(revision);
        return capability;
    }

    private static BundleRequirement requirement(Bundle bundle) {
        BundleRequirement requirement = mock(BundleRequirement.class);
        BundleRevision revision = revision(bundle);
        when(requirement.getRevision()).thenReturn(revision);
        return requirement;
    }

    /** A bundle exporting its api and importing it too, as a service's bundle does (substitutable export). */
    private Path apiExportingJar() throws IOException {
        return Files.write(dir.resolve("x.jar"), DeployFolderTest.bundle("io.msf.x", "1.0.0", Map.of(
                "Export-Package", "io.msf.x.api;version=\"1.0.0\"", "Import-Package", "io.msf.x.api;version=\"[1,2)\"")));
    }
}
