package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.msf.supervisor.api.ProcessState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.service.log.Logger;

/**
 * The backoff of a child container is reset by time up (since its ready line), not by time since
 * its start, with real processes: a shell script stands in for the child's launcher and writes its
 * status file as io.msf.launcher.Main does, or never does. The tests wait on {@link ManagedProcess#state}
 * only, which reads no status file: the supervisor learns of the readiness at the run's end.
 */
class ReadinessBackoffTest {

    private static final Duration LONG = Duration.ofSeconds(20);
    private static final String RESTARTING = "process '{}' {}; restarting it in {} ms ({} restarts within {} ms)";

    @TempDir
    Path dir;

    private final Logger log = mock(Logger.class);
    private final RecordedAlerts alerts = new RecordedAlerts();
    private ScheduledExecutorService scheduler;
    private ExecutorService spawning;
    private ManagedProcess process;

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        spawning = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (process != null) {
                RunningProcesses.removeAll(List.of(process), Duration.ofSeconds(30));
            }
        } finally {
            scheduler.shutdownNow();
            spawning.shutdownNow();
        }
    }

    /** A child container whose launcher runs {@code script} ({@code $status}: its status file). */
    private ManagedProcess child(String script, long backoffMaxMillis) throws IOException {
        return child(script, Map.of("backoffMaxMillis", backoffMaxMillis));
    }

    /** A child container whose launcher runs {@code script}, its settings those of the tests but for {@code keys}. */
    private ManagedProcess child(String script, Map<String, Object> keys) throws IOException {
        Path launcher = dir.resolve("fake-java");
        Files.writeString(launcher, String.join("\n",
                "#!/bin/sh",
                "status=''",
                "for word in \"$@\"; do",
                "  case \"$word\" in -Dmsf.status.file=*) status=${word#-Dmsf.status.file=} ;; esac",
                "done",
                script,
                ""));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        Map<String, Object> values = new HashMap<>(Map.of("type", "container", "command",
                launcher.toString(), "classDataSharing", false, "stopTimeoutMillis", 2000L, "restart", "always",
                "backoffInitialMillis", 100L, "maxRestarts", 3, "windowMillis", 600_000L));
        values.putAll(keys);
        ProcessSpec spec = ProcessSpec.parse("kid", TestConfigs.process(values), dir, dir.resolve("data"),
                Path.of("java"));
        ProcessEnvironment env = new ProcessEnvironment(new ChildSpawner(dir, dir.resolve("data"), mock(Logger.class)),
                scheduler, spawning, ProcessEnvironment::monotonicMillis, alerts, log);
        process = new ManagedProcess(spec, env);
        process.start();
        return process;
    }

    /** The delays of the restarts logged so far, in order. */
    private List<Object> restartDelays() {
        ArgumentCaptor<Object> delays = ArgumentCaptor.forClass(Object.class);
        verify(log, atLeast(0)).warn(eq(RESTARTING), eq("kid"), anyString(), delays.capture(), any(), any());
        return delays.getAllValues();
    }

    /**
     * The run counted as healthy once it had lasted the largest backoff since its start: a child that
     * hangs in its boot for longer than that and dies was restarted at once, every time.
     */
    @Test
    void aChildThatNeverBecomesReadyBacksOffIntoTheCrashLoop() throws IOException {
        child("sleep 0.5; exit 1", 200);
        await().atMost(LONG).until(() -> process.state() == ProcessState.CRASH_LOOP);
        assertThat(restartDelays()).containsExactly(0L, 100L, 200L);
        assertThat(process.info().lastError()).contains("crash loop").contains("after 3 restarts");
    }

    /**
     * Ready, but not for long: a run as short as the backoff since its ready line is no healthy one. Up
     * 1.55 s since its start, ready for the last 50 ms of it: the backoff (1 s) lies between, with room for
     * a loaded machine's slow spawn on either side.
     */
    @Test
    void aChildReadyForLessThanTheLargestBackoffBacksOff() throws IOException {
        child("sleep 1.5; printf 'ready=true\\nreadyMillis=1500\\n' > \"$status\"; sleep 0.05; exit 1", 1000);
        await().atMost(LONG).until(() -> process.state() == ProcessState.CRASH_LOOP);
        assertThat(restartDelays()).containsExactly(0L, 100L, 200L);
    }

    /**
     * Up for the largest backoff: restarted at once each time. The supervisor reads the status file only
     * at the run's end, and times the readiness by its readyMillis, not by when it read it.
     */
    @Test
    void aChildUpForTheLargestBackoffIsRestartedAtOnce() throws IOException {
        child("printf 'ready=true\\nreadyMillis=0\\n' > \"$status\"; sleep 0.5; exit 1", 200);
        await().atMost(LONG).until(() -> process.state() == ProcessState.CRASH_LOOP);
        assertThat(restartDelays()).containsExactly(0L, 0L, 0L);
    }

    /**
     * A child that hangs in its boot and never ends by itself stayed STARTING for ever. Not ready within
     * readyTimeoutMillis, each run is stopped and is a failed start; each lasts longer than the window
     * divided by the limit, so only the failed starts in a row, not the restarts within the window, bring
     * it to the crash loop. Its stopped runs leave nothing running.
     */
    @Test
    void aChildNotReadyWithinItsReadyTimeoutIsStoppedIntoTheCrashLoop() throws IOException {
        child("echo $$ >> \"$status.pids\"; exec sleep 30", Map.of("readyTimeoutMillis", 700L,
                "maxRestarts", 2, "windowMillis", 1000L, "backoffMaxMillis", 200L));
        await().atMost(LONG).until(() -> process.state() == ProcessState.CRASH_LOOP);

        assertThat(restartDelays()).containsExactly(0L, 100L);
        assertThat(process.info().lastError()).contains("not ready after 700 ms")
                .contains("after 2 restarts in a row, none of whose runs became ready");
        // failed starts in a row count whatever their spacing: the window is still told, with the limit
        assertThat(alerts.lines).containsExactly("raised kid 2 143");
        assertThat(alerts.windows).containsExactly("1000 FAILED_STARTS_IN_A_ROW");
        verify(log, atLeast(3)).warn(eq("process '{}' (pid {}) {}; stopping it"), eq("kid"), any(),
                eq("not ready after 700 ms (readyTimeoutMillis)"));
        Path pids = dir.resolve("data/children/kid/data/msf.status.pids");
        List<String> runs = Files.readAllLines(pids);
        assertThat(runs).hasSize(3);
        runs.forEach(pid -> assertThat(ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive))
                .as("run " + pid).isEmpty());
        assertThat(String.join("\n", process.log(50))).contains("not ready after 700 ms (readyTimeoutMillis); stopping it");
    }

    /**
     * A child container ends with exit code 0 at SIGTERM (its launcher stops the framework cleanly): the
     * default restart policy, on-failure, took the stop for a clean exit and left the child down (EXITED)
     * after its first timeout. Not being ready is the failure, whatever the exit code.
     */
    @Test
    void aChildStoppedForNotBeingReadyIsAFailureThoughItExitsWith0() throws IOException {
        child("trap 'exit 0' TERM; while :; do sleep 0.1; done", Map.of("restart", "on-failure",
                "readyTimeoutMillis", 500L, "maxRestarts", 2, "backoffMaxMillis", 200L));
        await().atMost(LONG).until(() -> process.state() == ProcessState.CRASH_LOOP
                || process.state() == ProcessState.EXITED);

        assertThat(process.state()).isEqualTo(ProcessState.CRASH_LOOP);
        assertThat(restartDelays()).containsExactly(0L, 100L);
        assertThat(process.info().lastError()).contains("not ready after 500 ms").contains("exit code 0");
    }

    /**
     * A child that writes its ready line while it handles the SIGTERM of its ready timeout: read at its
     * end, the file made the run RUNNING, up since its start, so each run reset the failed starts in a
     * row (and the backoff), and a child whose boot takes about readyTimeoutMillis never reached the
     * crash loop. The verdict of the timeout is final: each run is a failed start, none RUNNING.
     */
    @Test
    void aChildReadyOnlyOnceStoppedForItsReadyTimeoutIsStillAFailedStart() throws IOException {
        child("trap 'printf \"ready=true\\nreadyMillis=0\\n\" > \"$status\"; sleep 0.3; exit 0' TERM;"
                + " while :; do sleep 0.1; done", Map.of("readyTimeoutMillis", 500L, "maxRestarts", 2,
                "windowMillis", 1000L, "backoffMaxMillis", 200L));
        await().atMost(LONG).until(() -> {
            assertThat(process.info().state()).as("a run being stopped for not being ready").isNotEqualTo(
                    ProcessState.RUNNING);
            return process.state() == ProcessState.CRASH_LOOP;
        });

        assertThat(restartDelays()).containsExactly(0L, 100L);
        assertThat(process.info().lastError()).contains("not ready after 500 ms")
                .contains("after 2 restarts in a row, none of whose runs became ready");
    }

    /** A run ready in time is left alone by the timeout. */
    @Test
    void aChildReadyWithinItsReadyTimeoutKeepsRunning() throws IOException {
        child("printf 'ready=true\\nreadyMillis=0\\n' > \"$status\"; exec sleep 30", Map.of("readyTimeoutMillis",
                300L));
        await().atMost(LONG).until(() -> process.info().state() == ProcessState.RUNNING);
        await().during(Duration.ofMillis(800)).atMost(LONG).until(() -> process.info().state() == ProcessState.RUNNING);
        assertThat(restartDelays()).isEmpty();
        assertThat(process.info().lastError()).isEmpty();
    }
}
