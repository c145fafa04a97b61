package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import io.msf.problems.testing.RunningFramework;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
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
        Path service = jar("x.jar", "io.msf.x", Map.of("Export-Package", "io.msf.x.api;version=\"1.0.0\"",
                "Import-Package", "io.msf.x.api;version=\"[1,2)\""));
        Bundle first = install(context, "msf.service:a#1/0:x.jar", service);
        Bundle second = install(context, "msf.service:b#2/0:x.jar", service);
        assertThat(frameworkWiring.resolveBundles(List.of(first))).isTrue();
        CountDownLatch resolving = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        AtomicBoolean heldOnce = new AtomicBoolean();
        context.registerService(ResolverHookFactory.class, triggers -> {
            if (!heldOnce.getAndSet(true)) { // the first resolution, begun without the deployer's hook
                resolving.countDown();
                awaitQuietly(goOn);
            }
            return new NoFilter();
        }, null);
        Thread early = new Thread(() -> frameworkWiring.resolveBundles(List.of(second)), "early-resolution");
        early.start();
        assertThat(resolving.await(10, TimeUnit.SECONDS)).isTrue();

        FreshWiring hook = new FreshWiring(context::getBundles);
        context.registerService(ResolverHookFactory.class, hook, null);
        CrossedWires crossedWires = new CrossedWires(new Refresher(context, log), log);
        assertThat(crossedWires.rewire(context.getBundles())).as("not resolved yet when looked at").isEmpty();
        ExecutorService worker = Executors.newSingleThreadExecutor();
        List<Bundle> again = new CopyOnWriteArrayList<>();
        hook.atNextResolution(() -> worker.execute(() -> {
            try {
                again.addAll(crossedWires.rewire(context.getBundles()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            goOn.countDown();
            early.join(10_000);
            assertThat(CrossedWires.find(context.getBundles())).as("wired across by the resolution begun without"
                    + " the hook").hasSize(1);
            assertThat(again).as("no resolution began since").isEmpty();

            install(context, "file:other.jar", jar("other.jar", "io.msf.other", Map.of())).start();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(again).hasSize(1));
            assertThat(tiedTo(frameworkWiring, first, second)).isFalse();
            assertThat(tiedTo(frameworkWiring, second, first)).isFalse();
            assertThat(CrossedWires.find(context.getBundles())).isEmpty();
        } finally {
            worker.shutdownNow();
        }
    }

    /** A resolver hook that leaves every candidate. */
    private static final class NoFilter implements ResolverHook {

        @Override
        public void filterResolvable(Collection<BundleRevision> candidates) {
        }

        @Override
        public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisions) {
        }

        @Override
        public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
        }

        @Override
        public void end() {
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
