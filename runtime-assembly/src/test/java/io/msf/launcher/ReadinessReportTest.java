package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.startlevel.BundleStartLevel;

class ReadinessReportTest {


    @TempDir
    Path home;

    private final ReportOutput output = new ReportOutput();
    private TestFramework framework;
    /** What the launcher installed from the start-level plan. */
    private List<Bundle> launched = List.of();

    @BeforeEach
    void initFramework() throws Exception {
        framework = new TestFramework(home.resolve("data/cache"), 1);
    }

    @AfterEach
    void stopFramework() throws Exception {
        framework.close();
    }

    @Test
    void saysReadyOnceTheLevelIsReachedAndEveryServiceIsThere() throws Exception {
        ReadinessReport report = startWithCore(Duration.ofMinutes(1));

        report.run();

        assertThat(output.out()).matches("msf ready in \\d+ ms \\(0 bundles\\)\\R");
        assertThat(output.err()).isEmpty();
    }

    /**
     * The deployer installs its services at the last level while the core services come up: the
     * count is of the launcher's bundles only, so that it is the same whichever comes first.
     */
    @Test
    void countsTheBundlesTheLauncherInstalledNotThoseInstalledBesideThem() throws Exception {
        Bundle planned = install("bundle/1/planned.jar", "test.planned");
        Bundle gone = install("bundle/1/gone.jar", "test.gone");
        launched = List.of(planned, gone);
        // as the deployer installs a service: from a stream, under a location of its own (closed by the framework)
        framework.context().installBundle("msf.service:demo#1/0:repo/demo.jar",
                Files.newInputStream(TestBundles.write(home.resolve("repository/demo.jar"), "test.deployed", Map.of())));
        gone.uninstall(); // by hand, before the line
        ReadinessReport report = startWithCore(Duration.ofMinutes(1));

        report.run();

        assertThat(output.out()).matches("msf ready in \\d+ ms \\(1 bundles\\)\\R");
    }

    /**
     * The agent's TCP port taken by another process: the agent runs (its service is there, the line
     * says ready) but programs outside cannot reach it, which only msf:services showed, by its absence.
     */
    @Test
    void listsTheProblemsRunningBundlesPublishAfterTheReadyLine() throws Exception {
        Bundle agent = install("bundle/1/agent.jar", "test.agent");
        ReadinessReport report = startWithCore(Duration.ofMinutes(1));
        agent.start();
        publishProblems(agent, "cannot listen on 127.0.0.1:7420: in use");
        publishProblems(agent); // none: nothing said

        report.run();

        assertThat(output.out()).matches("msf ready in \\d+ ms \\(0 bundles\\)\\R");
        assertThat(output.err()).isEqualTo(String.format("msf: 1 problem(s) of running bundles:%n"
                + "msf:   test.agent: cannot listen on 127.0.0.1:7420: in use%n"));
    }

    /** A reason of several lines: bin/msf start shows the report's "msf: " lines, and lost all but the first. */
    @Test
    void marksEveryLineOfAProblemOfSeveralLines() throws Exception {
        Bundle agent = install("bundle/1/agent.jar", "test.agent");
        ReadinessReport report = startWithCore(Duration.ofMinutes(1));
        agent.start();
        publishProblems(agent, "cannot listen on 127.0.0.1:7420:\nin use by pid 12");

        report.run();

        assertThat(output.err()).isEqualTo(String.format("msf: 1 problem(s) of running bundles:%n"
                + "msf:   test.agent: cannot listen on 127.0.0.1:7420:%n"
                + "msf:     in use by pid 12%n"));
    }

    @Test
    void countsFromTheJvmStartItIsGiven() throws Exception {
        ReadinessReport report = report(Duration.ofMinutes(1), JvmStartTime.at(System.currentTimeMillis() - 60_000));
        ReportOutput.CORE.forEach(framework::register);
        framework.start();

        report.run();

        String line = output.out();
        assertThat(Long.parseLong(line.substring("msf ready in ".length(), line.indexOf(" ms")))).isGreaterThanOrEqualTo(60_000);
    }

    @Test
    void saysWhatIsMissingWhenTheWaitEnds() throws Exception {
        ReadinessReport report = report(Duration.ofMillis(200));
        framework.register("io.msf.event.api.EventLoopService");
        framework.start();

        report.run();

        assertThat(output.out()).isEmpty();
        assertThat(output.err()).startsWith("msf: NOT READY after 0 s; no service registered for: io.msf.net.api.NetworkService.");
    }

    @Test
    void saysNotReadyWhenABundleHangsInItsStartAndTheLevelIsNeverReached() throws Exception {
        framework.close();
        framework = new TestFramework(home.resolve("data/cache"), 2);
        Bundle hanging = install("bundle/2/hanging.jar", "test.hanging");
        hanging.adapt(BundleStartLevel.class).setStartLevel(2);
        hanging.start();
        launched = List.of(hanging); // installed from bundle/2/, as the launcher does
        CountDownLatch release = new CountDownLatch(1);
        framework.context().addBundleListener((SynchronousBundleListener) event -> {
            if (event.getType() == BundleEvent.STARTING && event.getBundle().equals(hanging)) {
                try {
                    release.await(30, TimeUnit.SECONDS); // an activator that hangs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        ReadinessReport report = report(Duration.ofMillis(500));
        ReportOutput.CORE.forEach(framework::register);
        Thread launcher = new Thread(() -> {
            try {
                framework.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        launcher.start();
        try {
            report.run();

            assertThat(output.out()).isEmpty();
            assertThat(output.err()).startsWith("msf: NOT READY after 0 s; start level 2 not reached. The container keeps running.")
                    .contains("test.hanging");
            assertThat(report.readyMillis()).isEqualTo(-1);
        } finally {
            release.countDown();
            launcher.join(10_000);
        }
    }

    /** Installs a bundle of {@code symbolicName} written at {@code path} below the home, as the launcher does. */
    private Bundle install(String path, String symbolicName) throws Exception {
        return framework.context().installBundle(BundleInstaller.location(
                TestBundles.write(home.resolve(path), symbolicName, Map.of())));
    }

    /** A report listening from before the framework starts, with the core services registered. */
    private ReadinessReport startWithCore(Duration timeout) throws Exception {
        ReadinessReport report = report(timeout);
        ReportOutput.CORE.forEach(framework::register);
        framework.start();
        return report;
    }

    /** What a running bundle does to publish its problems: a service with them in msf.problems. */
    private static void publishProblems(Bundle bundle, String... problems) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("msf.problems", problems);
        bundle.getBundleContext().registerService(Runnable.class, () -> { }, properties);
    }

    private ReadinessReport report(Duration timeout) {
        return report(timeout, JvmStartTime.lookUpInBackground());
    }

    private ReadinessReport report(Duration timeout, JvmStartTime jvmStart) {
        return output.listeningReport(framework, launched, home, timeout, jvmStart);
    }
}
