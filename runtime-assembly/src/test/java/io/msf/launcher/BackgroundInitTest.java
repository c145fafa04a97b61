package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * msf.init.classes: set up on the msf-init thread once their bundle has started, in that bundle;
 * what cannot be set up, or whose bundle never started, reported.
 */
class BackgroundInitTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream problems = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(problems, true, StandardCharsets.UTF_8);

    @AfterEach
    void forgetTheMarker() {
        System.clearProperty(InitMarker.THREAD_PROPERTY);
    }

    @Test
    void aClassIsSetUpOnItsOwnThreadOnceItsBundleHasStartedAndBadEntriesAreReported() throws Exception {
        try (TestFramework framework = new TestFramework(dir.resolve("cache"), 2)) {
            Bundle marker = framework.context().installBundle(
                    TestBundles.withClass(dir.resolve("marker.jar"), "test.marker", InitMarker.class).toUri().toString());
            marker.adapt(org.osgi.framework.startlevel.BundleStartLevel.class).setStartLevel(2);
            marker.start(); // persistently: it starts when the framework reaches level 2
            BackgroundInit.install(framework.context(), Map.of(BackgroundInit.CLASSES, "test.marker/"
                    + InitMarker.class.getName() + ", test.marker/no.such.Class, without-a-slash, not.installed/x.Y"), err);

            assertThat(System.getProperty(InitMarker.THREAD_PROPERTY)).as("before the bundle started").isNull();
            framework.start();

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(System.getProperty(InitMarker.THREAD_PROPERTY)).isEqualTo(BackgroundInit.THREAD));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(problems.toString(StandardCharsets.UTF_8))
                    .contains("cannot initialise 'test.marker/no.such.Class'")
                    .contains("'without-a-slash' names no resolved bundle")
                    .contains("'not.installed/x.Y' names no bundle that started"));
            // set up in the bundle's class loader: the test's own InitMarker is still untouched
            assertThat(marker.loadClass(InitMarker.class.getName())).isNotSameAs(InitMarker.class);
        }
    }
}
