package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.Mockito.RETURNS_DEFAULTS;
import static org.mockito.Mockito.mock;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

/**
 * A run left behind by a parent that died: the next start ends it first, and everything of its
 * process group (real processes, launched through setsid as the spawner launches a run).
 */
class ChildSpawnerTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<ProcessHandle> launched = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void tearDown() {
        launched.forEach(ProcessHandle::destroyForcibly);
        scheduler.shutdownNow();
    }

    @Test
    void aLeftoverRunIsEndedWithWhatItStartedAndLeftInItsGroup() throws Exception {
        ChildSpawner spawner = new ChildSpawner(dir, dir.resolve("data"), mock(Logger.class));
        ProcessHandle leader = leftBehind(spawner);
        ProcessHandle orphan = orphanOf(leader);

        spawn(spawner);

        await().atMost(LONG).until(() -> !RunningProcesses.running(leader) && !RunningProcesses.running(orphan));
    }

    @Test
    void theGroupOfALeftoverRunIsEndedEvenOnceItsOwnProcessIsGone() throws Exception {
        ChildSpawner spawner = new ChildSpawner(dir, dir.resolve("data"), mock(Logger.class));
        ProcessHandle leader = leftBehind(spawner);
        ProcessHandle orphan = orphanOf(leader);
        leader.destroyForcibly();
        leader.onExit().get(10, TimeUnit.SECONDS);

        spawn(spawner);

        await().atMost(LONG).until(() -> !RunningProcesses.running(orphan));
    }

    @Test
    void theLineThatALeftoverRunIsEndedComesBeforeItsSigterm() throws Exception {
        // The logger is slow to take the line: a SIGTERM sent before it would have ended the run by the time it returns.
        List<Boolean> runningWhenSaid = new ArrayList<>();
        ProcessHandle[] leader = new ProcessHandle[1];
        Logger slowToSayItEndsThem = mock(Logger.class, invocation -> {
            if (invocation.getMethod().getName().equals("warn") && invocation.getArguments().length > 0
                    && invocation.getArguments()[0] instanceof String format && format.contains("ending them first")) {
                Thread.sleep(300);
                runningWhenSaid.add(RunningProcesses.running(leader[0]));
            }
            return RETURNS_DEFAULTS.answer(invocation);
        });
        ChildSpawner spawner = new ChildSpawner(dir, dir.resolve("data"), slowToSayItEndsThem);
        leader[0] = leftBehind(spawner);

        spawn(spawner);

        assertThat(runningWhenSaid).as("the leftover run still running once the line was written").containsExactly(true);
    }

    /**
     * A run this container started, still stopping when its process is added again, was not left by a parent
     * that died: the line says which it is.
     */
    @Test
    void theLineTellsARunThisContainerStartedFromOneAParentThatDiedLeft() throws Exception {
        List<String> said = new ArrayList<>();
        Logger log = mock(Logger.class, invocation -> {
            Object[] arguments = invocation.getArguments();
            if (invocation.getMethod().getName().equals("warn") && arguments.length > 4
                    && arguments[0] instanceof String format && format.contains("ending them first")) {
                said.add(String.valueOf(arguments[4])); // varargs come expanded: name, count, pid, whose
            }
            return RETURNS_DEFAULTS.answer(invocation);
        });
        ChildSpawner spawner = new ChildSpawner(dir, dir.resolve("data"), log);
        leftBehind(spawner);
        spawn(spawner); // ends what a parent that died left, then starts a run of its own
        ProcessSpec sleeper = ProcessSpec.parse("left", TestConfigs.process(Map.of("command", "sleep", "args", "1000")),
                dir, dir.resolve("data"), Path.of("java"));
        ChildSpawner.Run ours = spawner.spawn(sleeper);
        launched.add(ours.process().toHandle());

        spawner.endLeftover(sleeper, scheduler).get(20, TimeUnit.SECONDS);

        assertThat(said).containsExactly("left by a parent that died", "which this container started and has not seen end");
    }

    /**
     * The wall clock stepped back by an hour between the record and the next parent's start: the
     * start the JDK tells now is an hour before the one recorded. The run is still told from a
     * stranger by its start in ticks since boot, and it and its group are ended.
     */
    @Test
    void aLeftoverRunIsEndedAlsoOnceTheWallClockHasSteppedBackSinceItsRecord() throws Exception {
        ChildSpawner spawner = new ChildSpawner(dir, dir.resolve("data"), mock(Logger.class));
        ProcessHandle leader = leftBehind(spawner);
        ProcessHandle orphan = orphanOf(leader);
        Path record = spawner.layout("left").pidRecord();
        String[] words = Files.readString(record).strip().split(" ");
        words[1] = Long.toString(Long.parseLong(words[1]) + Duration.ofHours(1).toMillis());
        Files.writeString(record, String.join(" ", words) + "\n");

        spawn(spawner);

        await().atMost(LONG).until(() -> !RunningProcesses.running(leader) && !RunningProcesses.running(orphan));
    }

    /**
     * A run of "left" as the spawner launches it, recorded as the current one, that starts a sleep
     * and leaves it, re-parented: no descendant of the run any more.
     */
    private ProcessHandle leftBehind(ChildSpawner spawner) throws Exception {
        assumeTrue(ProcessGroup.supported(), "setsid and /proc");
        Path pids = dir.resolve("orphan.pid");
        Process run = new ProcessBuilder(ProcessGroup.launching(List.of("sh", "-c",
                "(sleep 1000 & echo $! > " + pids + ") ; exec sleep 1000"))).start();
        launched.add(run.toHandle());
        ChildLayout layout = spawner.layout("left");
        layout.prepareCommand();
        PidRecord.write(layout.pidRecord(), run.toHandle());
        await().atMost(LONG).until(() -> Files.exists(pids) && Files.readString(pids).endsWith("\n"));
        ProcessHandle orphan = ProcessHandle.of(Long.parseLong(Files.readString(pids).strip())).orElseThrow();
        launched.add(orphan);
        await().atMost(LONG).until(() -> run.toHandle().descendants().noneMatch(orphan::equals));
        return run.toHandle();
    }

    private ProcessHandle orphanOf(ProcessHandle leader) {
        return launched.get(launched.indexOf(leader) + 1);
    }

    /** The next run of "left", as a start spawns it once what was left has ended: a process that ends at once. */
    private void spawn(ChildSpawner spawner) throws Exception {
        ProcessSpec spec = ProcessSpec.parse("left", TestConfigs.process(Map.of("command", "true")), dir,
                dir.resolve("data"), Path.of("java"));
        spawner.endLeftover(spec, scheduler).get(20, TimeUnit.SECONDS);
        ChildSpawner.Run run = spawner.spawn(spec);
        Process next = run.process();
        launched.add(next.toHandle());
        try (InputStream output = run.output()) {
            output.readAllBytes();
        }
        next.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void whatARunStartedAndLeftKeepsWritingToItsOutputAfterTheRunExited() throws Exception {
        assumeTrue(ProcessGroup.supported());
        Path marker = dir.resolve("marker");
        ChildSpawner spawner = new ChildSpawner(dir, dir.resolve("data"), mock(Logger.class));
        ProcessSpec spec = ProcessSpec.parse("late", TestConfigs.process(Map.of("command", "/bin/sh", "args", "-c '(sleep 1; echo"
                + " late-line; echo written > " + marker + ") & echo early-line'")), dir, dir.resolve("data"),
                Path.of("java"));
        ChildSpawner.Run run = spawner.spawn(spec);
        launched.add(run.process().toHandle());
        String output;
        try (InputStream in = run.output()) {
            output = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(output).contains("early-line").contains("late-line");
        assertThat(run.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(LONG).until(() -> Files.exists(marker)); // not killed by SIGPIPE after its echo
        assertThat(Files.list(dir.resolve("data/proc-fifo"))).isEmpty(); // no FIFO path left behind
    }

    /**
     * What a run left running outside its group (setsid) holds the output: the copier reads on for it after
     * the run ended, and the run's stop does not end it. When the process is removed its log ends the copiers
     * still reading: the copier's thread ends though the descendant lives on. A FileInputStream's read on a
     * FIFO, closed from another thread, never woke; the channel's does.
     */
    @Test
    void aCopierReadingForWhatARunLeftOutsideItsGroupEndsWhenItsLogEndsItsCopiers() throws Exception {
        assumeTrue(ProcessGroup.supported());
        Path escapedPid = dir.resolve("escaped.pid");
        ChildSpawner spawner = new ChildSpawner(dir, dir.resolve("data"), mock(Logger.class));
        ProcessSpec spec = ProcessSpec.parse("escaping", TestConfigs.process(Map.of("command", "/bin/sh", "args",
                "-c 'setsid sleep 30 & echo $! > " + escapedPid + "; echo started'")), dir, dir.resolve("data"),
                Path.of("java"));
        ChildSpawner.Run run = spawner.spawn(spec);
        launched.add(run.process().toHandle());
        Path file = dir.resolve("escaping.log");
        RotatingLog log = new RotatingLog(file, 1 << 20, 2);
        OutputPump.start("escaping", run.process().pid(), run.output(), log, mock(Logger.class));
        assertThat(run.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(LONG).until(() -> Files.exists(escapedPid) && !Files.readString(escapedPid).isBlank());
        ProcessHandle.of(Long.parseLong(Files.readString(escapedPid).trim())).ifPresent(launched::add);

        assertThat(log.awaitCopiers(500)).as("the copier reads on for the descendant").isFalse();
        log.close();
        log.endCopiers();

        assertThat(log.awaitCopiers(5000)).as("the copier ended").isTrue();
        assertThat(Files.readString(file)).contains("started");
    }
}
