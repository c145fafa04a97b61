package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.msf.problems.testing.RunningFramework;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.log.Logger;

/** A real framework's removal of a version: the class loader it ends is watched from just before. */
class RefreshedAwayLoadersTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final RunningFramework framework = new RunningFramework();

    private final AtomicLong collections = new AtomicLong();
    private final LeftLoaders left = new LeftLoaders(collections::get, Thread::getAllStackTraces, name -> List.of(),
            mock(Logger.class));

    /**
     * Felix ends the wiring of a bundle nothing imports from as it is uninstalled, with no refresh: its
     * loader is taken before, so that a version whose loader something still holds is named.
     */
    @Test
    void theLoaderOfARemovedVersionIsWatched() throws Exception {
        Path jar = Files.write(dir.resolve("hello.jar"), DeployFolderTest.bundle("hello", "2.0.0", Map.of()));
        Bundle hello = framework.context().installBundle(jar.toUri().toString());
        FrameworkWiring wiring = framework.context().getBundle(0).adapt(FrameworkWiring.class);
        assertThat(wiring.resolveBundles(List.of(hello))).isTrue();
        // a thread the service started and never stopped, holding the loader as its context class loader
        Thread thread = new Thread(() -> {
            while (!Thread.interrupted()) {
                LockSupport.park();
            }
        }, "hello-context-thread");
        thread.setContextClassLoader(hello.adapt(BundleWiring.class).getClassLoader());
        thread.setDaemon(true);
        thread.start();
        try {
            Refresher refresher = new Refresher(framework.context(), mock(Logger.class), Duration.ofSeconds(10),
                    left::watch);
            Versions versions = new Versions(framework.context(), null, null, null, () -> null, refresher, null,
                    mock(Logger.class));

            versions.remove(List.of(hello));
            assertThat(hello.getState()).isEqualTo(Bundle.UNINSTALLED);
            for (int i = 0; i < LeftLoaders.CHECKS_BEFORE_LEAK; i++) {
                left.check();
                collections.incrementAndGet();
            }

            assertThat(left.warnings()).singleElement().asString()
                    .startsWith("hello 2.0.0 [" + hello.getBundleId() + "]: removed, but its class loader")
                    .contains("'hello-context-thread' (its context class loader)");
        } finally {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    /**
     * A thread the bundle started, running one of its classes, outlives its removal: named by that frame,
     * found through the loader the refresh disposed of.
     */
    @Test
    void namesTheThreadOfARemovedBundleByItsFrame() throws Exception {
        String parked = LeftLoadersTest.Parked.class.getName();
        Path jar = dir.resolve("hello.jar");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(parked.replace('.', '/') + ".class");
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest())) {
            out.putNextEntry(new JarEntry(parked.replace('.', '/') + ".class"));
            in.transferTo(out);
        }
        Bundle hello = framework.context().installBundle(jar.toUri().toString());
        Thread thread = new Thread((Runnable) hello.loadClass(parked).getConstructor().newInstance(),
                "hello-leaked-thread");
        thread.setDaemon(true);
        thread.start();
        try {
            Versions versions = new Versions(framework.context(), null, null, null, () -> null,
                    new Refresher(framework.context(), mock(Logger.class), Duration.ofSeconds(10), left::watch), null,
                    mock(Logger.class));

            versions.remove(List.of(hello));
            for (int i = 0; i < LeftLoaders.CHECKS_BEFORE_LEAK; i++) {
                left.check();
                collections.incrementAndGet();
            }

            assertThat(left.warnings()).singleElement().asString()
                    .contains("'hello-leaked-thread' (at " + parked + ".run)");
        } finally {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    private static Manifest manifest() {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "hello");
        main.putValue("Bundle-Version", "2.0.0");
        return manifest;
    }
}
