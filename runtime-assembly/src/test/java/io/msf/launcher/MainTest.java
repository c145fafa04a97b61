package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.startlevel.BundleStartLevel;

/** How the launcher starts the framework and its readiness report ({@link Main#startReporting}). */
class MainTest {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path home;

    private final ReportOutput output = new ReportOutput();
    private final StopControl stopControl = new StopControl(new PrintStream(OutputStream.nullOutputStream()));
    /** Ends the start of the bundle that hangs in it. */
    private final CountDownLatch release = new CountDownLatch(1);
    /** The launcher's thread, and one for a stop request: not the common pool, which may have a single thread. */
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private TestFramework framework;
    /** What the launcher installed from the start-level plan. */
    private List<Bundle> launched = List.of();

    @AfterEach
    void stopFramework() throws Exception {
        release.countDown();
        threads.shutdownNow();
        framework.close();
    }

    /**
     * framework.start() returns once the climb to the beginning level is over: a report started after it was
     * held back as long as a bundle's start hung, never NOT READY at its msf.ready.timeout, never naming it.
     */
    @Test
    void saysNotReadyAtItsDeadlineWhileABundleStillHangsInItsStart() throws Exception {
        framework = new TestFramework(home.resolve("data/cache"), 3);
        Bundle hanging = hangingAtLevel2();
        ReadinessReport report = report(Duration.ofMillis(300));
        ReportOutput.CORE.forEach(framework::register);

        CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(startReporting(report), threads);

        await().atMost(Duration.ofSeconds(10)).until(() -> output.err().contains("The container keeps running."));
        assertThat(started).isNotDone(); // still climbing: the report did not wait for the climb
        assertThat(hanging.getState()).isEqualTo(Bundle.STARTING);
        assertThat(output.err()).startsWith("msf: NOT READY after 0 s; start level 3 not reached (level 2 still starting)."
                + " The container keeps running.")
                .contains("msf: 1 bundle(s) not active:")
                .contains("test.hanging 1.0.0 (bundle/2/hanging.jar) is STARTING");
        assertThat(output.out()).isEmpty();
        release.countDown();
        assertThat(started.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void saysReadyOnceTheClimbIsOverAndEveryServiceIsThere() throws Exception {
        framework = new TestFramework(home.resolve("data/cache"), 3);
        ReadinessReport report = report(Duration.ofMinutes(1));
        ReportOutput.CORE.forEach(framework::register);

        assertThat(startReporting(report).get()).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> output.out().startsWith("msf ready in "));
        assertThat(output.err()).isEmpty();
        assertThat(framework.framework().getState()).isEqualTo(Bundle.ACTIVE);
    }

    /** SIGTERM before the start: the framework is not started, and stopped (its cache released); nothing reported. */
    @Test
    void aStopRequestedFirstStartsNothingAndReportsNothing() throws Exception {
        framework = new TestFramework(home.resolve("data/cache"), 3);
        CountDownLatch reported = new CountDownLatch(1);
        ReadinessReport report = report(Duration.ofMillis(300));
        stopControl.requestStop();

        assertThat(Main.startReporting(framework.framework(), () -> {
            report.run();
            reported.countDown();
        }, stopControl, STOP_TIMEOUT)).isFalse();

        assertThat(framework.framework().getState()).isEqualTo(Bundle.RESOLVED);
        assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(output.out()).isEmpty();
        assertThat(output.err()).isEmpty();
    }

    /** SIGTERM while a bundle hangs in its start: carried out once the start returns, as before. */
    @Test
    void aStopRequestedDuringTheClimbStopsTheFrameworkOnceItsStartReturns() throws Exception {
        framework = new TestFramework(home.resolve("data/cache"), 3);
        Bundle hanging = hangingAtLevel2();
        ReadinessReport report = report(Duration.ofMillis(300));
        CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(startReporting(report), threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> hanging.getState() == Bundle.STARTING);

        CompletableFuture<Void> stop = CompletableFuture.runAsync(stopControl::requestStop, threads);
        await().atMost(Duration.ofSeconds(10)).until(stopControl::requested);
        release.countDown();

        assertThat(started.get(10, TimeUnit.SECONDS)).isTrue();
        stop.get(10, TimeUnit.SECONDS);
        assertThat(framework.framework().getState()).isEqualTo(Bundle.RESOLVED);
    }

    /** Main.startReporting as the launcher calls it, for a thread of the test's. */
    private Supplier<Boolean> startReporting(ReadinessReport report) {
        return () -> {
            try {
                return Main.startReporting(framework.framework(), report, stopControl, STOP_TIMEOUT);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** A bundle of bundle/2/, as the launcher installs it, whose start hangs until {@link #release}. */
    private Bundle hangingAtLevel2() throws Exception {
        Bundle hanging = framework.context().installBundle(BundleInstaller.location(
                TestBundles.write(home.resolve("bundle/2/hanging.jar"), "test.hanging", Map.of())));
        hanging.adapt(BundleStartLevel.class).setStartLevel(2);
        hanging.start();
        framework.context().addBundleListener((SynchronousBundleListener) event -> {
            if (event.getType() == BundleEvent.STARTING && event.getBundle().equals(hanging)) {
                try {
                    release.await(30, TimeUnit.SECONDS); // as an activator that hangs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        launched = List.of(hanging);
        return hanging;
    }

    private ReadinessReport report(Duration timeout) {
        return output.listeningReport(framework, launched, home, timeout, JvmStartTime.lookUpInBackground());
    }
}
