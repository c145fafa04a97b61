package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.msf.supervisor.api.ProcessState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

/**
 * A child container runs in a process group of its own, so that what it started and left,
 * re-parented to the machine's first process, is ended with it. Real processes: a shell script
 * stands in for the container's launcher (as in {@link WarmSpareTest}); each run starts a sleep it
 * leaves at once (re-parented: no descendant of the run) and records its pid, and so does a warm
 * spare as it boots, in a file of its own. A file {@code spare-mode} makes the spares that boot
 * from then on behave otherwise: their sleep ignores SIGTERM ({@code stubborn-orphan}), they close
 * their stdin, so that a promotion cannot reach them ({@code deaf}), they end by themselves once
 * the file {@code quit} is there ({@code quits}), or ignore SIGTERM, their sleep too
 * ({@code ignores-term}).
 */
class ChildContainerGroupTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private ScheduledExecutorService scheduler;
    private ExecutorService spawning;
    private ManagedProcess process;
    private Path orphans;
    private Path spareOrphans;
    private Path launcher;
    private Path spareMode;
    private final Logger log = mock(Logger.class);
    private final List<ProcessHandle> found = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(ProcessGroup.supported(), "setsid and /proc");
        scheduler = Executors.newSingleThreadScheduledExecutor();
        spawning = Executors.newCachedThreadPool();
        orphans = dir.resolve("orphans");
        spareOrphans = dir.resolve("spare-orphans");
        launcher = dir.resolve("fake-java");
        spareMode = dir.resolve("spare-mode");
        Files.writeString(launcher, String.join("\n",
                "#!/bin/sh",
                "status=''",
                "spare() {",
                "  mode=$(cat '" + spareMode + "' 2>/dev/null)",
                "  case \"$mode\" in *ignores-term*) trap '' TERM ;; esac", // before the sleep it records
                "  case \"$mode\" in",
                // the trap is set before the sleep starts, which inherits it: no SIGTERM can come first
                "    *stubborn-orphan*) (trap '' TERM; sleep 1000 </dev/null & echo \"$$ $!\" >> '" + spareOrphans + "') ;;",
                "    *) (sleep 1000 </dev/null & echo \"$$ $!\" >> '" + spareOrphans + "') ;;",
                "  esac",
                "  case \"$mode\" in",
                "    *deaf*) exec sleep 1000 0<&- ;;",
                "    *quits*) until [ -e '" + dir.resolve("quit") + "' ]; do sleep 0.1; done; exit 3 ;;",
                "  esac",
                "  read line || exit 0",
                "}",
                "for word in \"$@\"; do",
                "  case \"$word\" in",
                "    -Dmsf.status.file=*) status=${word#-Dmsf.status.file=} ;;",
                "    -Dmsf.spare=true) spare ;;",
                "  esac",
                "done",
                "(sleep 1000 & echo \"$$ $!\" >> '" + orphans + "')",
                "printf 'ready=true\\nreadyMillis=5\\n' > \"$status.tmp\" && mv \"$status.tmp\" \"$status\"",
                "exec sleep 1000",
                ""));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (process != null) {
                RunningProcesses.removeAll(List.of(process), Duration.ofSeconds(30));
            }
        } finally {
            found.forEach(ProcessHandle::destroyForcibly);
            if (scheduler != null) {
                scheduler.shutdownNow();
                spawning.shutdownNow();
            }
        }
    }

    private ManagedProcess start(boolean warmSpare) {
        return start(warmSpare, 2000);
    }

    private ManagedProcess start(boolean warmSpare, long stopTimeoutMillis) {
        ProcessEnvironment env = new ProcessEnvironment(new ChildSpawner(dir, dir.resolve("data"), mock(Logger.class)),
                scheduler, spawning, ProcessEnvironment::monotonicMillis, new RecordedAlerts(), log);
        process = new ManagedProcess(spec(warmSpare, stopTimeoutMillis), env);
        process.start();
        return process;
    }

    private ProcessSpec spec(boolean warmSpare, long stopTimeoutMillis) {
        Map<String, Object> values = new HashMap<>();
        values.put("type", "container");
        values.put("command", launcher.toString());
        values.put("restart", "always");
        values.put("warmSpare", warmSpare);
        values.put("classDataSharing", false);
        values.put("stopTimeoutMillis", stopTimeoutMillis);
        return ProcessSpec.parse("kid", TestConfigs.process(values), dir, dir.resolve("data"), Path.of("java"));
    }

    /** The sleep run {@code pid} started and left, once it is no descendant of the run any more. */
    private ProcessHandle orphanOf(long pid) {
        return orphanOf(orphans, pid);
    }

    /** The sleep {@code pid} started and left as it recorded it in {@code file}, once it is no descendant of it. */
    private ProcessHandle orphanOf(Path file, long pid) {
        ProcessHandle orphan = await().atMost(LONG).until(() -> recordedOrphan(file, pid), Optional::isPresent)
                .orElseThrow();
        found.add(orphan);
        ProcessHandle run = ProcessHandle.of(pid).orElseThrow();
        await().atMost(LONG).until(() -> run.descendants().noneMatch(orphan::equals));
        return orphan;
    }

    private Optional<ProcessHandle> recordedOrphan(Path file, long pid) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Files.readAllLines(file).stream()
                .map(line -> line.split(" "))
                .filter(words -> words.length == 2 && words[0].equals(Long.toString(pid)))
                .findFirst()
                .flatMap(words -> ProcessHandle.of(Long.parseLong(words[1])));
    }

    /**
     * Waits until a run other than {@code first} is up, read in one look at the process: two looks (pid > 0, then
     * pid != first) passed with the old run's pid seen first and, once its end was published between them, -1,
     * before the restart had begun.
     */
    private static void awaitNextRun(ManagedProcess kid, long first) {
        await().atMost(LONG).until(kid::info, info -> info.pid() > 0 && info.pid() != first);
    }

    @Test
    void stoppingAChildContainerEndsWhatItStartedAndLeft() throws Exception {
        ManagedProcess kid = start(false);
        ProcessHandle orphan = orphanOf(kid.info().pid());

        kid.stop().get(10, TimeUnit.SECONDS);

        assertThat(RunningProcesses.running(orphan)).as("the sleep the child left").isFalse();
        assertThat(kid.info().state()).isEqualTo(ProcessState.STOPPED);
    }

    @Test
    void aChildContainerKilledWithSigkillHasWhatItLeftEndedBeforeItsNextRun() {
        ManagedProcess kid = start(false);
        long first = kid.info().pid();
        ProcessHandle orphan = orphanOf(first);

        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // kill -9: the child cannot end it

        awaitNextRun(kid, first);
        assertThat(RunningProcesses.running(orphan)).as("the sleep the killed child left, at its next run").isFalse();
    }

    @Test
    void aPromotedWarmSpareLeadsAGroupOfItsOwnTooWhichItsStopEnds() throws Exception {
        ManagedProcess kid = start(true);
        long first = kid.info().pid();
        long spare = await().atMost(LONG).until(() -> kid.info().sparePid(), pid -> pid > 0);

        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await().atMost(LONG).until(() -> kid.info().pid() == spare);
        ProcessHandle orphan = orphanOf(spare); // started once promoted
        kid.stop().get(10, TimeUnit.SECONDS);

        assertThat(RunningProcesses.running(orphan)).as("the sleep the promoted spare left").isFalse();
    }

    @Test
    void aWarmSpareStoppedWithoutBeingPromotedHasWhatItStartedAndLeftEnded() throws Exception {
        ManagedProcess kid = start(true);
        long spare = await().atMost(LONG).until(() -> kid.info().sparePid(), pid -> pid > 0);
        ProcessHandle orphan = orphanOf(spareOrphans, spare);

        kid.stop().get(10, TimeUnit.SECONDS);

        assertThat(RunningProcesses.running(orphan)).as("the sleep the discarded spare left").isFalse();
    }

    @Test
    void aWarmSpareReplacedWithANewConfigurationHasWhatItStartedAndLeftEnded() throws Exception {
        ManagedProcess kid = start(true);
        long spare = await().atMost(LONG).until(() -> kid.info().sparePid(), pid -> pid > 0);
        ProcessHandle orphan = orphanOf(spareOrphans, spare);

        kid.reconfigure(spec(true, 3000)).get(10, TimeUnit.SECONDS);

        assertThat(RunningProcesses.running(orphan)).as("the sleep the replaced spare left").isFalse();
    }

    @Test
    void aStartPuttingANewConfigurationInForceWaitsForWhatTheOldConfigurationsSpareLeft() throws Exception {
        Files.writeString(spareMode, "stubborn-orphan");
        ManagedProcess kid = start(true, 3000);
        long first = kid.info().pid();
        long spare = await().atMost(LONG).until(() -> kid.info().sparePid(), pid -> pid > 0);
        ProcessHandle orphan = orphanOf(spareOrphans, spare);

        kid.reconfigure(spec(true, 4000)); // waits for the spare's sleep, which outlives its SIGTERM
        await().atMost(LONG).until(() -> kid.info().state() == ProcessState.STOPPED);
        kid.start(); // proc:start: the new configuration is put in force here

        awaitNextRun(kid, first);
        assertThat(RunningProcesses.running(orphan)).as("the sleep the old configuration's spare left, at the next run")
                .isFalse();
    }

    @Test
    void aStartPuttingANewConfigurationInForceSaysItWaitsForTheOldConfigurationsSpare() throws Exception {
        Files.writeString(spareMode, "stubborn-orphan");
        ManagedProcess kid = start(true, 3000);
        long spare = await().atMost(LONG).until(() -> kid.info().sparePid(), pid -> pid > 0);
        orphanOf(spareOrphans, spare);

        kid.reconfigure(spec(true, 4000)); // waits for the spare's sleep, which outlives its SIGTERM
        await().atMost(LONG).until(() -> kid.info().state() == ProcessState.STOPPED);
        kid.start(); // proc:start: the new configuration is put in force here

        assertThat(kid.log(50)).anyMatch(line -> line.contains("the next run waits for the old configuration's warm"
                + " spare, and what it left running, to end"));
    }

    @Test
    void aWarmSpareBootedFromAnAssemblyChangedSinceHasWhatItLeftEndedBeforeTheNextRun() throws Exception {
        Files.writeString(spareMode, "stubborn-orphan");
        ManagedProcess kid = start(true, 3000);
        long first = kid.info().pid();
        long spare = await().atMost(LONG).until(() -> kid.info().sparePid(), pid -> pid > 0);
        ProcessHandle orphan = orphanOf(spareOrphans, spare);
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/upgraded.jar"), "new launcher");

        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // the restart finds the spare's assembly old

        awaitNextRun(kid, first);
        assertThat(kid.info().pid()).as("a new JVM, not the spare").isNotEqualTo(spare);
        assertThat(RunningProcesses.running(orphan)).as("the sleep the ended spare left, at the next run").isFalse();
    }

    @Test
    void aWarmSpareThatCannotBePromotedHasWhatItStartedAndLeftEnded() throws Exception {
        Files.writeString(spareMode, "deaf");
        ManagedProcess kid = start(true);
        long first = kid.info().pid();
        long spare = await().atMost(LONG).until(() -> kid.info().sparePid(), pid -> pid > 0);
        ProcessHandle orphan = orphanOf(spareOrphans, spare);

        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // the restart writes to the spare's closed stdin

        awaitNextRun(kid, first);
        assertThat(kid.info().pid()).as("a new JVM, not the spare").isNotEqualTo(spare);
        assertThat(kid.log(50)).anyMatch(line -> line.contains("warm spare pid " + spare + " cannot take over"));
        await().atMost(LONG).until(() -> !RunningProcesses.running(orphan));
    }

    @Test
    void aWarmSpareThatEndsWhileItWaitsHasWhatItLeftEndedBeforeTheNextRun() throws Exception {
        Files.writeString(spareMode, "stubborn-orphan quits");
        ManagedProcess kid = start(true, 3000);
        long first = kid.info().pid();
        long spare = await().atMost(LONG).until(() -> kid.info().sparePid(), pid -> pid > 0);
        ProcessHandle orphan = orphanOf(spareOrphans, spare);

        Files.writeString(dir.resolve("quit"), "");
        await().atMost(LONG).until(() -> kid.info().sparePid() == -1);
        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // while the spare's sleep outlives its SIGTERM

        awaitNextRun(kid, first);
        assertThat(RunningProcesses.running(orphan)).as("the sleep the spare left, at the next run").isFalse();
    }

    @Test
    void aDiscardedWarmSpareKilledAfterTheStopTimeoutIsNamedTheSpareInTheWarning() throws Exception {
        Files.writeString(spareMode, "ignores-term");
        ManagedProcess kid = start(true, 500);
        long spare = await().atMost(LONG).until(() -> kid.info().sparePid(), pid -> pid > 0);
        orphanOf(spareOrphans, spare); // booted, its trap set

        kid.stop().get(10, TimeUnit.SECONDS);

        verify(log).warn("process '{}': its warm spare (pid {}) did not stop within {} ms of SIGTERM; killing what is"
                + " left of it", "kid", spare, 500L);
    }
}
