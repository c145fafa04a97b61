package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;

class StopControlTest {

    @TempDir
    Path storage;

    private final StopControl control = new StopControl(new PrintStream(OutputStream.nullOutputStream()));
    private TestFramework framework;

    @BeforeEach
    void initFramework() throws Exception {
        framework = new TestFramework(storage, 1);
    }

    @AfterEach
    void stopFramework() throws Exception {
        framework.close();
    }

    @Test
    void aRequestBeforeTheStartPreventsIt() throws Exception {
        control.requestStop();

        assertThat(control.start(framework.framework(), Duration.ofSeconds(10))).isFalse();
        assertThat(framework.framework().getState()).isNotEqualTo(Bundle.ACTIVE);
    }

    /**
     * A framework stopped from inside (stop 0 at the console) was not requested: the launcher says so as it
     * exits, which it must not after a signal's stop, which said so already.
     */
    @Test
    void aStopFromInsideTheFrameworkIsNoRequestAndARequestedOneIs() throws Exception {
        assertThat(control.start(framework.framework(), Duration.ofSeconds(10))).isTrue();
        framework.framework().stop();
        framework.framework().waitForStop(10_000);
        assertThat(control.requested()).isFalse();

        control.requestStop();
        assertThat(control.requested()).isTrue();
    }

    /** The launcher then lets go of the data folder: the framework must have released its cache by then. */
    @Test
    void aFrameworkNotStartedForARequestIsStoppedAndWaitedFor() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Framework slow = stoppingIn(Duration.ofMillis(500), stopped);
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        StopControl slowControl = new StopControl(new PrintStream(OutputStream.nullOutputStream()), halted::complete);
        slowControl.requestStop();
        assertThat(slowControl.start(slow, Duration.ofSeconds(10))).isFalse();

        slowControl.stopUnstarted(slow, Duration.ofSeconds(10));

        assertThat(stopped.getCount()).as("stopped before stopUnstarted returned").isZero();
        assertThat(halted).isNotDone();
    }

    @Test
    void aFrameworkNotStartedThatDoesNotStopInTimeEndsTheProcessAfterTheStopTimeout() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Framework hanging = stoppingIn(Duration.ofSeconds(30), stopped);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        StopControl hangingControl = new StopControl(new PrintStream(err, true, StandardCharsets.UTF_8), halted::complete);
        hangingControl.requestStop();
        assertThat(hangingControl.start(hanging, Duration.ofSeconds(1))).isFalse();

        hangingControl.stopUnstarted(hanging, Duration.ofSeconds(1));

        // msf.stop.timeout (here 1 s) bounds it as it bounds a started framework's stop: exit code 1
        assertThat(halted).isCompletedWithValue(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("did not stop within 1 s");
    }

    @Test
    void aRequestAfterTheStartStopsTheFrameworkAndWaitsForIt() throws Exception {
        assertThat(control.start(framework.framework(), Duration.ofSeconds(10))).isTrue();
        assertThat(framework.framework().getState()).isEqualTo(Bundle.ACTIVE);

        control.requestStop();

        assertThat(framework.framework().getState()).isEqualTo(Bundle.RESOLVED);
    }

    @Test
    void aRequestDuringTheStartStopsTheFrameworkOnceStartedWithinTheTimeout() throws Exception {
        CountDownLatch inStart = stallingInItsStart("slow", () -> Thread.sleep(500));
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        StopControl slowControl = new StopControl(new PrintStream(OutputStream.nullOutputStream()), halted::complete);
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        Thread launcher = new Thread(() -> {
            try {
                started.complete(slowControl.start(framework.framework(), Duration.ofSeconds(10)));
            } catch (Exception e) {
                started.completeExceptionally(e);
            }
        });
        launcher.start();
        assertThat(inStart.await(10, TimeUnit.SECONDS)).isTrue();
        Thread signal = new Thread(slowControl::requestStop, "msf-stop");
        signal.start();
        signal.join(10_000);

        assertThat(started.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(framework.framework().getState()).isEqualTo(Bundle.RESOLVED);
        assertThat(halted).isNotDone();
    }

    @Test
    void aRequestWhileABundleHangsInItsStartEndsTheProcessAfterTheStopTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inStart = stallingInItsStart("hanging", () -> release.await(30, TimeUnit.SECONDS)); // hangs
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        StopControl hangingControl = new StopControl(new PrintStream(err, true, StandardCharsets.UTF_8), halted::complete);
        Thread launcher = new Thread(() -> {
            try {
                hangingControl.start(framework.framework(), Duration.ofSeconds(1));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        launcher.start();
        try {
            assertThat(inStart.await(10, TimeUnit.SECONDS)).isTrue();
            Thread signal = new Thread(hangingControl::requestStop, "msf-stop");
            signal.start();

            // msf.stop.timeout (here 1 s) bounds a stop during the start too: exit code 1
            assertThat(halted.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("did not stop within 1 s");
        } finally {
            release.countDown();
            launcher.join(10_000);
        }
    }

    @Test
    void aStopThatTookTooLongIsRecordedWithThePidBeforeTheProcessEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inStart = stallingInItsStart("hanging", () -> release.await(30, TimeUnit.SECONDS)); // hangs
        Path forced = storage.resolveSibling(storage.getFileName() + "-msf.stop.forced");
        CompletableFuture<Boolean> recordedAtHalt = new CompletableFuture<>();
        StopControl hangingControl = new StopControl(new PrintStream(OutputStream.nullOutputStream()),
                status -> recordedAtHalt.complete(Files.exists(forced)));
        hangingControl.recordForcedStopIn(forced);
        Thread launcher = new Thread(() -> {
            try {
                hangingControl.start(framework.framework(), Duration.ofSeconds(1));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        launcher.start();
        try {
            assertThat(inStart.await(10, TimeUnit.SECONDS)).isTrue();
            new Thread(hangingControl::requestStop, "msf-stop").start();

            // bin/msf stop, which cannot see the exit code, tells a forced end from a clean one by it
            assertThat(recordedAtHalt.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(forced, StandardCharsets.US_ASCII))
                    .isEqualTo(ProcessHandle.current().pid() + "\n");
        } finally {
            release.countDown();
            launcher.join(10_000);
        }
    }

    /**
     * A fresh framework whose bundle {@code name}, at start level 2, runs {@code stall} as it starts
     * (as a slow or hanging activator would); the latch opens when the stall begins.
     */
    private CountDownLatch stallingInItsStart(String name, Stall stall) throws Exception {
        framework.close();
        framework = new TestFramework(storage, 2);
        Bundle bundle = framework.context().installBundle(BundleInstaller.location(TestBundles.write(
                storage.resolveSibling(storage.getFileName() + "-bundles/" + name + ".jar"), "test." + name, Map.of())));
        bundle.adapt(BundleStartLevel.class).setStartLevel(2);
        bundle.start();
        CountDownLatch inStart = new CountDownLatch(1);
        framework.context().addBundleListener((SynchronousBundleListener) event -> {
            if (event.getType() == BundleEvent.STARTING && event.getBundle().equals(bundle)) {
                inStart.countDown();
                try {
                    stall.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        return inStart;
    }

    /**
     * A framework that stops as Felix's does, on a thread of its own after {@code stop()} has returned,
     * and takes {@code stopping} to (an initialised one stops in moments: too quick to tell a caller that
     * waits from one that does not). {@code waitForStop} waits for that thread, as Felix's does.
     */
    private static Framework stoppingIn(Duration stopping, CountDownLatch stopped) {
        Framework[] self = new Framework[1];
        self[0] = (Framework) Proxy.newProxyInstance(StopControlTest.class.getClassLoader(),
                new Class<?>[] {Framework.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "stop" -> {
                        Thread stopper = new Thread(() -> {
                            try {
                                Thread.sleep(stopping.toMillis());
                                stopped.countDown();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }, "test-framework-stop");
                        stopper.setDaemon(true);
                        stopper.start();
                        yield null;
                    }
                    case "waitForStop" -> new FrameworkEvent(stopped.await((Long) args[0], TimeUnit.MILLISECONDS)
                            ? FrameworkEvent.STOPPED : FrameworkEvent.WAIT_TIMEDOUT, self[0], null);
                    case "getState" -> stopped.getCount() == 0 ? Bundle.RESOLVED : Bundle.STARTING;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "a framework stopping in " + stopping;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return self[0];
    }

    @FunctionalInterface
    private interface Stall {
        void run() throws InterruptedException;
    }
}
