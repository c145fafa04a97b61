package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.msf.problems.testing.RunningFramework;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.log.Logger;

/**
 * The service bundles that resolved while the deployer, and its resolver hook, were down, found and
 * wired again once it is back: on a real framework, the bundles refreshed as an operator's refresh does.
 */
class CrossedWiresTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final RunningFramework framework = new RunningFramework(Map.of(Constants.FRAMEWORK_BSNVERSION,
            Constants.FRAMEWORK_BSNVERSION_MULTIPLE));

    private final Logger log = mock(Logger.class);

    /**
     * Two services of one jar, both importing an api the deployer imports too, refreshed by an operator (the
     * api updated): the framework stopped the deployer with them and started them again before it, so that
     * one copy imported its own api from the other's, and the other's undeploy or swap would restart it
     * without a drain. Once the deployer is back, that copy alone is refreshed, and imports from itself.
     */
    @Test
    void aCopyWiredToAnotherServicesCopyByARefreshWithoutTheDeployerIsWiredToItsOwnAgain() throws Exception {
        BundleContext context = framework.context();
        FrameworkWiring frameworkWiring = context.getBundle(0).adapt(FrameworkWiring.class);
        Bundle api = install(context, "file:api.jar", jar("api.jar", "io.msf.y", Map.of(
                "Export-Package", "io.msf.y;version=\"1.0.0\"")));
        Path service = jar("x.jar", "io.msf.x", Map.of("Export-Package", "io.msf.x.api;version=\"1.0.0\"",
                "Import-Package", "io.msf.x.api;version=\"[1,2)\",io.msf.y;version=\"[1,2)\""));
        Bundle first = install(context, "msf.service:a#1/0:x.jar", service);
        Bundle second = install(context, "msf.service:b#2/0:x.jar", service);
        ServiceRegistration<ResolverHookFactory> deployer = context.registerService(ResolverHookFactory.class,
                new FreshWiring(context::getBundles), null);
        first.start();
        second.start();
        assertThat(frameworkWiring.getDependencyClosure(List.of(first))).doesNotContain(second);

        deployer.unregister(); // the operator's refresh of the api stops the deployer, and it comes back last
        refresh(frameworkWiring, api);
        assertThat(List.of(tiedTo(frameworkWiring, first, second), tiedTo(frameworkWiring, second, first)))
                .as("the copies were wired to each other by the refresh, with no hook there").contains(true);
        assertThat(CrossedWires.find(context.getBundles())).hasSize(1);

        context.registerService(ResolverHookFactory.class, new FreshWiring(context::getBundles), null);
        List<Bundle> refreshed = new CrossedWires(new Refresher(context, log), log).rewire(context.getBundles());

        assertThat(refreshed).hasSize(1).containsAnyOf(first, second);
        assertThat(tiedTo(frameworkWiring, first, second)).isFalse();
        assertThat(tiedTo(frameworkWiring, second, first)).isFalse();
        assertThat(first.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(second.getState()).as("started again by its refresh").isEqualTo(Bundle.ACTIVE);
        assertThat(CrossedWires.find(context.getBundles())).isEmpty();
    }

    /**
     * Two services of a host jar and a fragment of it each, started with no hook there: the framework
     * attaches the fragment already resolved to the host resolved later, often in place of that host's own.
     * Once the deployer is back, each fragment is on its own service's host only (the refresh restarts the
     * hosts, which resolves them again).
     */
    @RepeatedTest(10) // whether the fragment goes astray depends on the framework's order of candidates
    void aFragmentOnAnotherServicesHostIsTakenOffIt() throws Exception {
        BundleContext context = framework.context();
        FrameworkWiring frameworkWiring = context.getBundle(0).adapt(FrameworkWiring.class);
        Path host = jar("host.jar", "io.msf.x", Map.of());
        Path fragment = jar("fragment.jar", "io.msf.x.fragment", Map.of(Constants.FRAGMENT_HOST, "io.msf.x"));
        Bundle firstHost = install(context, "msf.service:a#1/0:host.jar", host);
        Bundle firstFragment = install(context, "msf.service:a#1/1:fragment.jar", fragment);
        firstHost.start();
        Bundle secondHost = install(context, "msf.service:b#2/0:host.jar", host);
        Bundle secondFragment = install(context, "msf.service:b#2/1:fragment.jar", fragment);
        secondHost.start();

        context.registerService(ResolverHookFactory.class, new FreshWiring(context::getBundles), null);
        new CrossedWires(new Refresher(context, log), log).rewire(context.getBundles());

        assertThat(hostsOf(firstFragment)).containsExactly(firstHost);
        assertThat(hostsOf(secondFragment)).containsExactly(secondHost);
        assertThat(CrossedWires.find(context.getBundles())).isEmpty();
    }

    /** A service's import of what no bundle of its own provides stays on another service's copy: the hook leaves it. */
    @Test
    void anImportOnlyAnotherServicesCopyProvidesIsNoCrossing() throws Exception {
        BundleContext context = framework.context();
        FrameworkWiring frameworkWiring = context.getBundle(0).adapt(FrameworkWiring.class);
        Bundle first = install(context, "msf.service:a#1/0:x.jar", jar("x1.jar", "io.msf.x", Map.of(
                "Export-Package", "io.msf.x.api;version=\"1.0.0\"")));
        Bundle second = install(context, "msf.service:b#2/0:x.jar", jar("x2.jar", "io.msf.x", Map.of(
                "Bundle-Version", "2.0.0", "Import-Package", "io.msf.x.api;version=\"[1,2)\"")));
        assertThat(frameworkWiring.resolveBundles(List.of(first, second))).isTrue();
        assertThat(tiedTo(frameworkWiring, second, first)).isTrue();

        assertThat(CrossedWires.find(context.getBundles())).isEmpty();
    }

    /** Whether {@code bundle} is wired to {@code provider}: refreshed, were {@code provider} removed. */
    private static boolean tiedTo(FrameworkWiring wiring, Bundle bundle, Bundle provider) {
        return wiring.getDependencyClosure(List.of(provider)).contains(bundle);
    }

    private static void refresh(FrameworkWiring wiring, Bundle bundle) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static List<Bundle> hostsOf(Bundle fragment) {
        return fragment.adapt(BundleWiring.class).getRequiredWires(HostNamespace.HOST_NAMESPACE).stream()
                .map(wire -> wire.getProvider().getBundle()).toList();
    }

    private Path jar(String file, String symbolicName, Map<String, String> headers) throws IOException {
        return Files.write(dir.resolve(file), DeployFolderTest.bundle(symbolicName,
                headers.getOrDefault("Bundle-Version", "1.0.0"), headers));
    }

    private static Bundle install(BundleContext context, String location, Path jar) throws Exception {
        try (InputStream in = Files.newInputStream(jar)) {
            return context.installBundle(location, in);
        }
    }
}
