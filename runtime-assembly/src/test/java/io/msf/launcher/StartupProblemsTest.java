package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.msf.launcher.StartLevelLayout.BundleFile;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.startlevel.BundleStartLevel;

class StartupProblemsTest {

    @TempDir
    Path home;

    private TestFramework framework;
    private StartupProblems problems;

    @BeforeEach
    void initFramework() throws Exception {
        framework = new TestFramework(home.resolve("data/cache"), 2);
        problems = new StartupProblems(home);
        framework.context().addFrameworkListener(problems);
    }

    @AfterEach
    void stopFramework() throws Exception {
        framework.close();
    }

    @Test
    void namesEachInactiveBundleWithTheResolversReason() throws Exception {
        List<Bundle> launched = startWith(List.of(
                new BundleFile(1, TestBundles.write(home.resolve("bundle/1/fine.jar"), "test.fine", Map.of())),
                new BundleFile(2, TestBundles.write(home.resolve("bundle/2/needy.jar"), "test.needy",
                        Map.of("Import-Package", "does.not.exist")))));

        List<String> inactive = problems.inactiveBundles(launched, 2);

        assertThat(inactive).singleElement().asString()
                .startsWith("test.needy 1.0.0 (bundle/2/needy.jar) is INSTALLED (not resolved): ")
                .contains("missing requirement")
                .contains("does.not.exist")
                .doesNotContain("Unresolved requirements:");
    }

    @Test
    void bundlesAboveTheCurrentLevelAndFragmentsAreNotReported() throws Exception {
        List<Bundle> launched = startWith(List.of(
                new BundleFile(1, TestBundles.write(home.resolve("bundle/1/host.jar"), "test.host", Map.of())),
                new BundleFile(1, TestBundles.write(home.resolve("bundle/1/frag.jar"), "test.frag",
                        Map.of("Fragment-Host", "test.absent"))),
                new BundleFile(5, TestBundles.write(home.resolve("bundle/5/later.jar"), "test.later", Map.of()))));

        assertThat(problems.inactiveBundles(launched, 2)).isEmpty();
    }

    @Test
    void aBundleTheLauncherDidNotInstallIsNotReported() throws Exception {
        List<Bundle> launched = startWith(List.of(
                new BundleFile(1, TestBundles.write(home.resolve("bundle/1/fine.jar"), "test.fine", Map.of()))));
        // as the deployer does with a service at level 5 while the core services come up: installed
        // and started, not resolved yet (here: never), with no framework event; the ready line does not
        // wait for these, and the deployer reports its own (msf:list, the log)
        Bundle service = framework.context().installBundle(TestBundles.write(home.resolve("repository/svc.jar"),
                "test.service", Map.of("Import-Package", "not.installed.yet")).toUri().toString());
        service.adapt(BundleStartLevel.class).setStartLevel(2);
        assertThatThrownBy(service::start).isInstanceOf(BundleException.class);

        assertThat(service.adapt(BundleStartLevel.class).isPersistentlyStarted()).isTrue();
        assertThat(problems.inactiveBundles(launched, 2)).isEmpty();
    }

    @Test
    void describeKeepsEachCauseOnceAndDropsTheRepeatedRequirements() {
        BundleException failure = new BundleException("Unable to resolve x: missing requirement y Unresolved requirements: [y]",
                new IllegalStateException("underneath"));

        assertThat(StartupProblems.describe(failure))
                .isEqualTo("Unable to resolve x: missing requirement y <- IllegalStateException: underneath");
    }

    @Test
    void describeEndsAtACycleOfCauses() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second", first);
        first.initCause(second);
        BundleException failure = new BundleException("activator failed", first);

        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> StartupProblems.describe(failure)))
                .isEqualTo("activator failed <- IllegalStateException: first <- IllegalArgumentException: second");
    }

    private List<Bundle> startWith(List<BundleFile> plan) throws Exception {
        List<Bundle> launched = new BundleInstaller(framework.context(), new PrintStream(OutputStream.nullOutputStream()))
                .install(plan);
        CountDownLatch started = new CountDownLatch(1);
        framework.context().addFrameworkListener(event -> {
            if (event.getType() == FrameworkEvent.STARTED) {
                started.countDown();
            }
        });
        framework.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).as("framework reached its start level").isTrue();
        return launched;
    }
}
