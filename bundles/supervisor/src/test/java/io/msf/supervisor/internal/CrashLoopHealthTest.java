package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.monitor.api.HealthResult;
import io.msf.monitor.api.HealthStatus;
import io.msf.supervisor.api.ProcessState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashLoopHealthTest {

    @TempDir
    Path dir;

    private ProcessSupervisor supervisor;
    private CrashLoopHealth health;

    @BeforeEach
    void setUp() throws IOException {
        supervisor = TestSupervisors.at(dir);
        health = new CrashLoopHealth(supervisor);
    }

    @AfterEach
    void tearDown() {
        supervisor.deactivate();
    }

    /** A command that fails at once (exit code 3) until {@code fixed} exists, then runs on; given up after 2 restarts. */
    private ProcessSpec failingUntil(String name, Path fixed) {
        Map<String, Object> values = new HashMap<>(Map.of("command", "sh",
                "args", "-c 'test -e " + fixed + " && exec sleep 1000; exit 3'",
                "restart", "on-failure", "backoffInitialMillis", 20L, "backoffMaxMillis", 200L,
                "maxRestarts", 2, "windowMillis", 60_000L));
        return ProcessSpec.parse(name, TestConfigs.process(values), supervisor.home(), supervisor.data(),
                Path.of("java"));
    }

    private HealthResult warnedOnceGivenUp(String name) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> supervisor.process(name).state() == ProcessState.CRASH_LOOP);
        HealthResult result = health.check();
        assertThat(result.status()).isEqualTo(HealthStatus.WARN);
        return result;
    }

    @Test
    void upWhileNoProcessIsInACrashLoop() {
        supervisor.add(failingUntil("fine", dir)); // the folder exists: it runs on

        assertThat(health.check()).isEqualTo(HealthResult.up("no process in a crash loop"));
    }

    @Test
    void aProcessGivenUpIsAWarningWithItsRestartsAndLastErrorUntilStartedAgain() throws IOException {
        Path fixed = dir.resolve("fixed");
        supervisor.add(failingUntil("crasher", fixed));
        supervisor.add(failingUntil("fine", dir));

        HealthResult result = warnedOnceGivenUp("crasher");
        assertThat(result.detail()).isEqualTo("process 'crasher' (2 restarts): crash loop: ended with exit code 3"
                + " after 2 restarts within 60000 ms; stays down until proc:start crasher");

        Files.createFile(fixed);
        supervisor.start("crasher"); // proc:start
        assertThat(supervisor.process("crasher").state()).isEqualTo(ProcessState.RUNNING);
        assertThat(health.check().status()).isEqualTo(HealthStatus.UP);
    }

    /**
     * A spawn holds its process's lock while it prepares a child container's folders (a copy of
     * deploy/), which can take longer than the monitor waits for a check (1 s); the check must not
     * wait for it, or /health answers 503 for a container that works.
     */
    @Test
    void answersWhileAnotherProcessIsBusyStarting() throws Exception {
        supervisor.add(failingUntil("crasher", dir.resolve("never")));
        supervisor.add(failingUntil("busy", dir));
        warnedOnceGivenUp("crasher");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ManagedProcess busy = supervisor.required("busy");
        CompletableFuture<Void> spawning = CompletableFuture.runAsync(() -> {
            synchronized (busy) { // as its spawn does
                held.countDown();
                awaitQuietly(release);
            }
        }, runnable -> new Thread(runnable, "spawning").start());
        try {
            held.await();
            HealthResult result = CompletableFuture.supplyAsync(health::check,
                    runnable -> new Thread(runnable, "health check").start()).get(2, TimeUnit.SECONDS);
            assertThat(result.detail()).startsWith("process 'crasher' (2 restarts)");
        } finally {
            release.countDown();
            spawning.join();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aNewConfigurationClearsIt() {
        supervisor.add(failingUntil("crasher", dir.resolve("never")));
        supervisor.add(failingUntil("other", dir.resolve("never")));
        warnedOnceGivenUp("crasher");
        assertThat(warnedOnceGivenUp("other").detail()).contains("process 'crasher' (2 restarts)",
                "process 'other' (2 restarts)");

        supervisor.reconfigure(failingUntil("crasher", dir)); // now it runs on

        await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.process("crasher").state() == ProcessState.RUNNING);
        assertThat(health.check().detail()).doesNotContain("crasher").contains("process 'other'");
    }
}
