package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.RETURNS_DEFAULTS;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.spy;

import io.msf.supervisor.api.ProcessInfo;
import io.msf.supervisor.api.ProcessState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.MockedStatic;
import org.osgi.service.log.Logger;

/** Real processes (sh, sleep) under a real scheduler: restarts, backoff, crash loop, stop, output. */
class ManagedProcessTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final RecordedAlerts recorded = new RecordedAlerts();
    private final List<String> alerts = recorded.lines;
    private final List<ManagedProcess> started = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;
    private ExecutorService spawning;
    private ProcessEnvironment env;

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        spawning = Executors.newCachedThreadPool();
        env = new ProcessEnvironment(new ChildSpawner(dir, dir.resolve("data"), mock(Logger.class)), scheduler, spawning,
                ProcessEnvironment::monotonicMillis,
                recorded,
                mock(Logger.class));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            RunningProcesses.removeAll(started, Duration.ofSeconds(30));
        } finally {
            scheduler.shutdownNow();
            spawning.shutdownNow();
        }
    }

    private ManagedProcess process(String name, Map<String, Object> settings) {
        Map<String, Object> values = new HashMap<>(settings);
        values.putIfAbsent("stopTimeoutMillis", 2000L);
        ProcessSpec spec = ProcessSpec.parse(name, TestConfigs.process(values), dir, dir.resolve("data"),
                Path.of("java"));
        ManagedProcess process = new ManagedProcess(spec, env);
        started.add(process);
        return process;
    }

    /** A restart that could not be spawned showed the exit code of the run before, as if that one had just ended. */
    @Test
    void aRunThatCouldNotBeSpawnedHasNoExitCode() throws Exception {
        Path program = dir.resolve("once.sh");
        java.nio.file.Files.writeString(program, "#!/bin/sh\nrm -f \"$0\"\nexit 3\n");
        java.nio.file.Files.setPosixFilePermissions(program,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        ManagedProcess process = process("once", Map.of("command", program.toString(), "restart", "always",
                "backoffInitialMillis", 20L, "backoffMaxMillis", 100L));
        process.start();

        ProcessInfo[] seen = new ProcessInfo[1];
        await().atMost(LONG).until(() -> (seen[0] = process.info()).lastError().startsWith("cannot start"));
        assertThat(seen[0].lastExitCode()).as(seen[0].lastError()).isEqualTo(-1);
    }

    /**
     * A child container's restart is spawned while its JDK's release file cannot be read (a FIFO no one
     * writes, as a hung network mount would leave it): the spawn waits. Spawned on the scheduler thread,
     * it held up every other process's backoff restarts (and kills after a stop timeout) meanwhile.
     */
    @Test
    void aSlowSpawnHoldsUpNoOtherProcesssRestarts() throws Exception {
        Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
        Path release = dir.resolve("jdk/release");
        Path launcher = FakeJava.write(jdk.resolve("java"),
                "[ -e \"$0.ran\" ] || { touch \"$0.ran\"; mkfifo \"" + release + "\"; }",
                "exit 1");
        ManagedProcess other = restartingEvery10To20Millis("other");
        ManagedProcess slow = process("slow", Map.of("type", "container", "command", launcher.toString(),
                "classDataSharing", false, "restart", "always", "maxRestarts", 0));
        try {
            other.start();
            slow.start(); // its first run makes the FIFO and ends: its restart, at once, waits to read it
            await().atMost(LONG).until(() -> Files.exists(release));
            int before = other.info().restarts();

            await().atMost(Duration.ofSeconds(5)).until(() -> other.info().restarts() >= before + 8);
        } finally {
            // the spawn reads, and is free again: a writer, then the path gone so that no later read waits
            try (RandomAccessFile writer = new RandomAccessFile(release.toFile(), "rw")) {
                writer.write("JAVA_VERSION=\"17\"\n".getBytes(StandardCharsets.US_ASCII));
                Files.delete(release);
            }
        }
    }

    /**
     * As above, for a child container with a warm spare whose run ends before it is ready, restarted after a
     * backoff shorter than the spare's readiness poll: the poll of the run that ended, on the scheduler thread,
     * asked the process's readiness under its lock, which the restart's slow spawn held, and every other
     * process's restarts waited with it.
     */
    @Test
    void aSlowSpawnHoldsUpNoOtherProcesssRestartsThroughTheSparesPollOfTheRunBefore() throws Exception {
        Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
        Path release = dir.resolve("jdk/release");
        Path launcher = FakeJava.write(jdk.resolve("java"),
                "[ -e \"$0.ran\" ] || { touch \"$0.ran\"; mkfifo \"" + release + "\"; }",
                "exit 1");
        ManagedProcess other = restartingEvery10To20Millis("other");
        ManagedProcess slow = process("slow", Map.of("type", "container", "command", launcher.toString(),
                "classDataSharing", false, "warmSpare", true, "restart", "always", "maxRestarts", 0,
                "backoffInitialMillis", 0L));
        try {
            other.start();
            slow.start(); // its first run makes the FIFO and ends: its restart, at once, waits to read it
            await().atMost(LONG).until(() -> Files.exists(release));
            int before = other.info().restarts();

            // restarts over a second and more, across many of the spare's polls (every 100 ms)
            await().atMost(Duration.ofSeconds(10)).until(() -> other.info().restarts() >= before + 40);
        } finally {
            unblock(release);
        }
    }

    /**
     * A warm spare boots while its JDK's release file cannot be read (a FIFO the run made once it was up,
     * as a hung mount would leave it): the boot waits. Booted on the scheduler thread, where the readiness
     * poll decided it, it held up every other process's backoff restarts (and kills after a stop timeout).
     */
    @Test
    void aSlowSpareBootHoldsUpNoOtherProcesssRestarts() throws Exception {
        Path release = dir.resolve("jdk/release");
        ManagedProcess other = restartingEvery10To20Millis("other");
        ManagedProcess slow = containerWhoseSpareBootWaits(release);
        try {
            other.start();
            slow.start();
            await().atMost(LONG).until(() -> slow.state() == ProcessState.RUNNING); // its spare boots within 100 ms
            int before = other.info().restarts();

            await().atMost(Duration.ofSeconds(5)).until(() -> other.info().restarts() >= before + 8);
        } finally {
            unblock(release);
        }
    }

    /**
     * A stop while the spare boots off the slot's lock calls the boot off: what it started once its read is
     * free is ended, and the stop is over only once it has, as with a spare that waited.
     */
    @Test
    void aSpareBootingAsItsProcessStopsIsEndedAndTheStopWaitsForIt() throws Exception {
        Path release = dir.resolve("jdk/release");
        ManagedProcess slow = containerWhoseSpareBootWaits(release);
        CompletableFuture<Void> stopped;
        try {
            slow.start();
            await().atMost(LONG).until(() -> slow.state() == ProcessState.RUNNING);
            await().atMost(LONG).until(ManagedProcessTest::aSpawnReadsAJdksRelease);

            // off this thread: a stop that waited for the boot's lock would never return to unblock it
            stopped = CompletableFuture.supplyAsync(slow::stop).thenCompose(stop -> stop);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !stopped.isDone());
        } finally {
            unblock(release);
        }
        stopped.get(10, TimeUnit.SECONDS);
        String calledOff = Files.readAllLines(env.spawner().logFile("slow")).stream()
                .filter(line -> line.contains("started as its process stopped")).findFirst().orElseThrow();
        long spare = Long.parseLong(calledOff.replaceAll(".*warm spare pid (\\d+) .*", "$1"));
        assertThat(ProcessHandle.of(spare).filter(ProcessHandle::isAlive)).as(calledOff).isEmpty();
        assertThat(slow.info().sparePid()).isEqualTo(-1);
    }

    /**
     * A warm spare whose boot fails with an Error (out of memory, or of threads, as the start of a process
     * throws it when the JDK cannot start the thread that waits for its end): its boot is over all the same.
     * Left "under way", it had every later stop of the process wait for its end, which never came, and so
     * every restart too (the next run waits for the spares that left the slot).
     */
    @Test
    void aSpareBootFailingWithAnErrorHoldsUpNoStop() throws Exception {
        ChildSpawner failing = spy(new ChildSpawner(dir, dir.resolve("data"), mock(Logger.class)));
        CountDownLatch tried = new CountDownLatch(1);
        doAnswer(invocation -> {
            tried.countDown();
            throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource"
                    + " limits reached");
        }).when(failing).spawnSpare(any());
        env = new ProcessEnvironment(failing, scheduler, spawning, ProcessEnvironment::monotonicMillis, recorded,
                mock(Logger.class));
        Path launcher = FakeJava.write(Files.createDirectories(dir.resolve("jdk/bin")).resolve("java"),
                "[ $role = spare ] && exec sleep 1000", FakeJava.READY, "exec sleep 1000");
        ManagedProcess spared = process("spared", Map.of("type", "container", "command", launcher.toString(),
                "classDataSharing", false, "warmSpare", true, "restart", "always"));
        spared.start();
        assertThat(tried.await(LONG.toMillis(), TimeUnit.MILLISECONDS)).as("the spare's boot").isTrue();

        spared.stop().get(10, TimeUnit.SECONDS);
        assertThat(spared.state()).isEqualTo(ProcessState.STOPPED);
    }

    /**
     * A restart takes the warm spare out of its slot, and checks, under the slot's lock, that lib/ and bundle/
     * have not changed since it booted: on a hung mount that walk waits. The removal of the process (on Config
     * Admin's thread) asks how long its stop may take, which waited for that lock, and with it every other
     * configuration.
     */
    @Test
    void aHungWalkOfLibHoldsUpNoQuestionOfHowLongAStopMayTake() throws Exception {
        CountDownLatch walking = new CountDownLatch(1);
        CountDownLatch mountBack = new CountDownLatch(1);
        ManagedProcess spared = containerWhoseLibHangsAfterItsSparesBoot("[ $role = spare ] && exec sleep 1000",
                walking, mountBack, null);
        try {
            spared.start();
            long first = spared.info().pid();
            await().atMost(LONG).until(() -> spared.info().sparePid() > 0);
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            assertThat(walking.await(LONG.toMillis(), TimeUnit.MILLISECONDS)).as("the restart's walk of lib/").isTrue();

            long stopWait = CompletableFuture.supplyAsync(spared::stopWaitMillis, spawning).get(2, TimeUnit.SECONDS);
            assertThat(stopWait).isEqualTo(2000L);
        } finally {
            mountBack.countDown();
        }
    }

    /**
     * The supervisor stops while a restart checks, in a hung walk of lib/, whether the warm spare may take
     * over; the walk then fails, and the spare, its assembly unknown, is ended unpromoted. Its SIGKILL after
     * the stop timeout was timed on the scheduler, shut down by then: refused, after the SIGTERM, and a spare
     * that ignores SIGTERM ran on past the bundle.
     */
    @Test
    void aSpareDiscardedPastTheSupervisorsStopIsKilled() throws Exception {
        CountDownLatch walking = new CountDownLatch(1);
        CountDownLatch mountBack = new CountDownLatch(1);
        ManagedProcess spared = containerWhoseLibHangsAfterItsSparesBoot(
                "[ $role = spare ] && { trap '' TERM; exec sleep 1000; }", walking, mountBack,
                new IOException("Transport endpoint is not connected"));
        ProcessHandle spare = null;
        try {
            spared.start();
            long first = spared.info().pid();
            long sparePid = await().atMost(LONG).until(() -> spared.info().sparePid(), pid -> pid > 0);
            spare = ProcessHandle.of(sparePid).orElseThrow();
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            assertThat(walking.await(LONG.toMillis(), TimeUnit.MILLISECONDS)).as("the restart's walk of lib/").isTrue();
            spared.remove();
            scheduler.shutdownNow(); // as the supervisor's stop does once its wait is over
            mountBack.countDown();

            ProcessHandle waiting = spare;
            await().atMost(LONG).until(() -> !RunningProcesses.running(waiting));
        } finally {
            mountBack.countDown();
            if (spare != null) {
                spare.destroyForcibly(); // on failure: not past the test, for its 1000 s
            }
        }
    }

    /**
     * A child container with a warm spare, whose lib/ is walked as usual for the spare's boot, and hangs at the
     * next walk (a restart's, which checks that the spare's assembly is unchanged) until {@code mountBack}; the
     * walk then goes on, or throws {@code failure} if there is one.
     */
    private ManagedProcess containerWhoseLibHangsAfterItsSparesBoot(String spare, CountDownLatch walking,
            CountDownLatch mountBack, IOException failure) throws IOException {
        ChildSpawner hanging = spy(new ChildSpawner(dir, dir.resolve("data"), mock(Logger.class)));
        AtomicBoolean booted = new AtomicBoolean();
        doAnswer(invocation -> {
            if (booted.getAndSet(true)) {
                walking.countDown();
                mountBack.await();
                if (failure != null) {
                    throw failure;
                }
            }
            return invocation.callRealMethod();
        }).when(hanging).assemblyFingerprint();
        env = new ProcessEnvironment(hanging, scheduler, spawning, ProcessEnvironment::monotonicMillis, recorded,
                mock(Logger.class));
        Path launcher = FakeJava.write(Files.createDirectories(dir.resolve("jdk/bin")).resolve("java"), spare,
                FakeJava.READY, "exec sleep 1000");
        return process("spared", Map.of("type", "container", "command", launcher.toString(), "classDataSharing",
                false, "warmSpare", true, "restart", "always", "backoffInitialMillis", 20L));
    }

    /**
     * proc:list while the process's restart is spawned and its JDK's release file cannot be read (a hung
     * mount): it read the process under the lock the spawn holds, and waited as long as the spawn did.
     */
    @Test
    void aSlowSpawnHoldsUpNoListOfItsProcess() throws Exception {
        Path release = dir.resolve("jdk/release");
        ManagedProcess slow = containerWhoseRestartsSpawnWaits(release);
        try {
            slow.start();
            await().atMost(LONG).until(() -> Files.exists(release));
            await().atMost(LONG).until(ManagedProcessTest::aSpawnReadsAJdksRelease);

            ProcessInfo shown = CompletableFuture.supplyAsync(slow::info, spawning).get(2, TimeUnit.SECONDS);
            assertThat(shown.state()).isEqualTo(ProcessState.BACKOFF);
            assertThat(shown.pid()).isEqualTo(-1);
            assertThat(shown.lastExitCode()).isEqualTo(1);
        } finally {
            unblock(release);
        }
    }

    /**
     * The removal of a process (its configuration deleted, on Config Admin's thread) while its restart is
     * spawned and the spawn waits: it waited for the spawn's lock, and Config Admin with it. It returns at
     * once now, and the run the spawn started once free is ended.
     */
    @Test
    void aSlowSpawnHoldsUpNoRemovalOfItsProcess() throws Exception {
        Path release = dir.resolve("jdk/release");
        ManagedProcess slow = containerWhoseRestartsSpawnWaits(release);
        CompletableFuture<Void> removed;
        try {
            slow.start();
            await().atMost(LONG).until(() -> Files.exists(release));
            await().atMost(LONG).until(ManagedProcessTest::aSpawnReadsAJdksRelease);

            removed = CompletableFuture.supplyAsync(slow::remove, spawning).get(2, TimeUnit.SECONDS);
            assertThat(removed).isNotDone();
        } finally {
            unblock(release);
        }
        removed.get(10, TimeUnit.SECONDS);
        List<String> lines = Files.readAllLines(env.spawner().logFile("slow"));
        String restarted = lines.stream().filter(line -> line.contains("started pid")).reduce((a, b) -> b)
                .orElseThrow();
        long pid = Long.parseLong(restarted.replaceAll(".*started pid (\\d+).*", "$1"));
        assertThat(ProcessHandle.of(pid).filter(RunningProcesses::running)).as(String.join("\n", lines)).isEmpty();
        assertThat(slow.info().state()).isEqualTo(ProcessState.STOPPED);
        assertThat(lines.stream().filter(line -> line.contains("started pid"))).as(String.join("\n", lines))
                .hasSize(2);
    }

    /**
     * The supervisor stops while a restart's spawn of its child container hangs: it removes the process, waits
     * for the stops only so long, then shuts its scheduler down. The spawn, once free, made its run the process's
     * (its ready timeout refused by the scheduler) and the removal's stop sent it SIGTERM with no SIGKILL to
     * follow: a run that ignores SIGTERM outlived the bundle. It is killed as the spawn returns now.
     */
    @Test
    void aRunSpawnedPastTheSupervisorsStopIsKilled() throws Exception {
        Path release = dir.resolve("jdk/release");
        Path launcher = FakeJava.write(Files.createDirectories(release.resolveSibling("bin")).resolve("java"),
                "[ -e \"$0.ran\" ] || { touch \"$0.ran\"; mkfifo \"" + release + "\"; exit 1; }",
                "trap '' TERM", // kept across the exec: only a SIGKILL ends it
                "exec sleep 1000");
        ManagedProcess slow = process("slow", Map.of("type", "container", "command", launcher.toString(),
                "classDataSharing", false, "restart", "always", "maxRestarts", 0));
        CompletableFuture<Void> removed;
        try {
            slow.start();
            await().atMost(LONG).until(() -> Files.exists(release));
            await().atMost(LONG).until(ManagedProcessTest::aSpawnReadsAJdksRelease);
            removed = slow.remove();
            scheduler.shutdownNow(); // as the supervisor's stop does once its wait is over
        } finally {
            unblock(release);
        }
        // the run's end is what counts here, not what a spawning thread throws on the way (the scheduler's refusal)
        long pid = await().dontCatchUncaughtExceptions().atMost(LONG).until(this::latePid, Optional::isPresent)
                .orElseThrow();
        Optional<ProcessHandle> run = ProcessHandle.of(pid); // empty if already killed and reaped
        try {
            await("pid " + pid + ", spawned after the removal").dontCatchUncaughtExceptions()
                    .atMost(Duration.ofSeconds(5)).until(() -> run.filter(RunningProcesses::running).isEmpty());
            removed.get(10, TimeUnit.SECONDS);
        } finally {
            run.ifPresent(ProcessHandle::destroyForcibly); // on failure: not past the test, for its 1000 s
        }
    }

    /**
     * The supervisor stops while a restart's spawn of its child container hangs, and the spawn then fails (its
     * java gone meanwhile). As any failed start it timed its restart on the scheduler, shut down by then: the
     * refusal was thrown on the spawning thread, and its stack trace printed on stderr. It ends quietly now.
     */
    @Test
    void aSpawnFailingPastTheSupervisorsStopEndsQuietly() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        List<Thread> spawningThreads = new CopyOnWriteArrayList<>();
        ExecutorService watched = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task);
            thread.setUncaughtExceptionHandler((dying, thrown) -> uncaught.add(thrown));
            spawningThreads.add(thread);
            return thread;
        });
        env = new ProcessEnvironment(env.spawner(), scheduler, watched, env.clock(), recorded, env.log());
        Path release = dir.resolve("jdk/release");
        ManagedProcess slow = containerWhoseRestartsSpawnWaits(release);
        CompletableFuture<Void> removed;
        try {
            slow.start();
            await().atMost(LONG).until(() -> Files.exists(release));
            await().atMost(LONG).until(ManagedProcessTest::aSpawnReadsAJdksRelease);
            removed = slow.remove();
            scheduler.shutdownNow(); // as the supervisor's stop does once its wait is over
            Files.delete(release.resolveSibling("bin/java")); // once free, the spawn finds no program to start
        } finally {
            unblock(release);
        }
        removed.get(10, TimeUnit.SECONDS);
        watched.shutdown();
        assertThat(watched.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        for (Thread thread : spawningThreads) {
            thread.join(10_000); // what a task threw is handed to the handler before its thread ends
        }

        assertThat(uncaught).isEmpty();
        assertThat(slow.info().state()).isEqualTo(ProcessState.STOPPED);
        assertThat(Files.readString(env.spawner().logFile("slow"))).contains("start failed after the process was"
                + " removed").doesNotContain("cannot start");
    }

    /**
     * A run ends by itself once its process was removed, but before the removal's stop has its lock, and past the
     * supervisor's stop. Its end timed a restart of a process no longer supervised, logged as one to come and
     * counted; the scheduler, shut down by then, refused it on the JDK's reaper thread, which swallowed that and
     * what the end had left to publish. Here the removal's stop is held on its spawning thread until then.
     */
    @Test
    void aRunEndingByItselfAfterItsRemovalRestartsNothing() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger recording = mock(Logger.class, invocation -> {
            logged.add(String.valueOf(invocation.getArguments().length > 0 ? invocation.getArgument(0) : ""));
            return RETURNS_DEFAULTS.answer(invocation);
        });
        List<Runnable> held = new CopyOnWriteArrayList<>();
        AtomicBoolean holding = new AtomicBoolean();
        env = new ProcessEnvironment(env.spawner(), scheduler, task -> {
            if (holding.get()) {
                held.add(task);
            } else {
                spawning.execute(task);
            }
        }, env.clock(), recorded, recording);
        ManagedProcess process = process("quits", Map.of("command", "sleep", "args", "1000", "restart", "always"));
        process.start();
        long pid = process.info().pid();

        holding.set(true);
        CompletableFuture<Void> removed = process.remove();
        scheduler.shutdownNow(); // as the supervisor's stop does once its wait is over
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // by itself, as far as the supervisor knows
        await().atMost(LONG).until(() -> Files.readString(env.spawner().logFile("quits")).contains("pid " + pid
                + " ended"));
        holding.set(false);
        held.forEach(spawning::execute); // the removal's stop, which waits for the end's handling to be over
        removed.get(10, TimeUnit.SECONDS);

        assertThat(logged).noneMatch(line -> line.contains("restarting it"));
        ProcessInfo left = process.info();
        assertThat(left.restarts()).isZero();
        assertThat(left.state()).isEqualTo(ProcessState.STOPPED);
    }

    /**
     * As above, and the run left a process in its group that ignores SIGTERM. What a run left gets SIGTERM and a
     * SIGKILL timed on the scheduler, refused past the supervisor's stop: that process ran on past the bundle.
     */
    @Test
    void whatARunEndingAfterItsRemovalLeftIsKilledPastTheSupervisorsStop() throws Exception {
        assumeTrue(ProcessGroup.supported(), "setsid and /proc");
        List<Runnable> held = new CopyOnWriteArrayList<>();
        AtomicBoolean holding = new AtomicBoolean();
        env = new ProcessEnvironment(env.spawner(), scheduler, task -> {
            if (holding.get()) {
                held.add(task);
            } else {
                spawning.execute(task);
            }
        }, env.clock(), recorded, env.log());
        Path leftPid = dir.resolve("left.pid");
        ManagedProcess process = process("leaves", Map.of("command", "sh", "args", "-c 'trap \"\" TERM; sleep 1000"
                + " </dev/null >/dev/null 2>&1 & echo $! > " + leftPid + "; exec sleep 1000'", "restart", "always"));
        process.start();
        long pid = process.info().pid();
        await().atMost(LONG).until(() -> Files.exists(leftPid) && !Files.readString(leftPid).isBlank());
        ProcessHandle left = ProcessHandle.of(Long.parseLong(Files.readString(leftPid).trim())).orElseThrow();
        try {
            holding.set(true);
            CompletableFuture<Void> removed = process.remove();
            scheduler.shutdownNow(); // as the supervisor's stop does once its wait is over
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // by itself, as far as the supervisor knows
            await().atMost(LONG).until(() -> Files.readString(env.spawner().logFile("leaves")).contains("pid " + pid
                    + " ended"));
            holding.set(false);
            held.forEach(spawning::execute);
            removed.get(10, TimeUnit.SECONDS);

            await().atMost(LONG).until(() -> !RunningProcesses.running(left));
            assertThat(process.info().state()).isEqualTo(ProcessState.STOPPED);
        } finally {
            left.destroyForcibly(); // on failure: not past the test, for its 1000 s
        }
    }

    /**
     * proc:restart's stop got the process's lock just as the command's wait for it ended: the stop, which spawns
     * nothing, was done, but the command was refused as "going on in the background", and proc:restart started
     * nothing. Here the stop's SIGKILL timer, which the stop sets under the lock, is held until that wait is over.
     */
    @Test
    void aStopThatGetsTheLockAsTheWaitEndsIsWaitedFor() throws Exception {
        AtomicReference<Thread> holdUntilWaitEnds = new AtomicReference<>();
        scheduler.shutdownNow(); // setUp's, unused: this test's holds a timer
        scheduler = new ScheduledThreadPoolExecutor(1) {
            @Override
            public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
                Thread caller = holdUntilWaitEnds.getAndSet(null);
                if (caller != null) {
                    await().atMost(LONG).until(() -> !caller.isAlive() || waitsUntimed(caller));
                }
                return super.schedule(task, delay, unit);
            }
        };
        env = new ProcessEnvironment(env.spawner(), scheduler, spawning, env.clock(), recorded, env.log());
        ManagedProcess process = process("held", Map.of("command", "sleep", "args", "1000"));
        process.start();
        await().atMost(LONG).until(() -> process.info().state() == ProcessState.RUNNING);

        CompletableFuture<CompletableFuture<Void>> restarting = new CompletableFuture<>();
        Thread console = new Thread(() -> {
            try {
                restarting.complete(process.stopToRestartByHand(200));
            } catch (RuntimeException e) {
                restarting.completeExceptionally(e);
            }
        });
        holdUntilWaitEnds.set(console);
        console.start();

        restarting.get(LONG.toMillis(), TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);
        assertThat(process.info().state()).isEqualTo(ProcessState.STOPPED);
    }

    /** Whether {@code thread} waits for a future without a timeout: a timed wait, if it had one, is over. */
    private static boolean waitsUntimed(Thread thread) {
        return thread.getState() == Thread.State.WAITING && Stream.of(thread.getStackTrace())
                .anyMatch(frame -> frame.getMethodName().equals("waitingGet"));
    }

    /** The pid of the run of "slow" spawned second, once its log says it started. */
    private Optional<Long> latePid() throws IOException {
        return Files.readAllLines(env.spawner().logFile("slow")).stream()
                .filter(line -> line.contains("started pid"))
                .map(line -> Long.parseLong(line.replaceAll(".*started pid (\\d+).*", "$1"))).skip(1).findFirst();
    }

    /**
     * A new configuration of a process (on Config Admin's thread) while its restart is spawned and the spawn
     * waits: it took the lock the spawn holds on the caller's thread, and Config Admin, which delivers every
     * configuration of the container on that one thread, waited as long as the spawn did. It returns at once
     * now, and of two configurations delivered meanwhile the last is the one in force once the spawn is free.
     */
    @Test
    void aSlowSpawnHoldsUpNoNewConfigurationOfItsProcess() throws Exception {
        Path release = dir.resolve("jdk/release");
        ManagedProcess slow = containerWhoseRestartsSpawnWaits(release);
        Path launcher = release.resolveSibling("bin/java");
        CompletableFuture<Void> first;
        CompletableFuture<Void> last;
        try {
            slow.start();
            await().atMost(LONG).until(() -> Files.exists(release));
            await().atMost(LONG).until(ManagedProcessTest::aSpawnReadsAJdksRelease);

            first = CompletableFuture.supplyAsync(() -> slow.reconfigure(containerSpec(launcher, 1500L)), spawning)
                    .get(2, TimeUnit.SECONDS);
            last = CompletableFuture.supplyAsync(() -> slow.reconfigure(containerSpec(launcher, 1600L)), spawning)
                    .get(2, TimeUnit.SECONDS);
            assertThat(last).isNotDone();
        } finally {
            unblock(release);
        }
        first.get(20, TimeUnit.SECONDS);
        last.get(20, TimeUnit.SECONDS);
        assertThat(slow.spec().stopTimeoutMillis()).isEqualTo(1600L);
        assertThat(slow.info().pid()).as("a run under the last configuration").isPositive();
    }

    /** The settings of {@link #containerWhoseRestartsSpawnWaits}, with {@code stopTimeoutMillis}. */
    private ProcessSpec containerSpec(Path launcher, long stopTimeoutMillis) {
        return ProcessSpec.parse("slow", TestConfigs.process(Map.of("type", "container", "command", launcher.toString(),
                "classDataSharing", false, "restart", "always", "maxRestarts", 0, "stopTimeoutMillis",
                stopTimeoutMillis)), dir, dir.resolve("data"), Path.of("java"));
    }

    /**
     * A child container "slow" restarted at once after its first run, whose spawn waits: that run makes its
     * JDK's release file a FIFO no one writes (as a hung mount would leave it) and ends with 1. A run spawned
     * once the read is free sleeps.
     */
    private ManagedProcess containerWhoseRestartsSpawnWaits(Path release) throws IOException {
        Path launcher = FakeJava.write(Files.createDirectories(release.resolveSibling("bin")).resolve("java"),
                "[ -e \"$0.ran\" ] || { touch \"$0.ran\"; mkfifo \"" + release + "\"; exit 1; }",
                "exec sleep 1000");
        return process("slow", Map.of("type", "container", "command", launcher.toString(),
                "classDataSharing", false, "restart", "always", "maxRestarts", 0));
    }

    /** A command that ends at once and is restarted after 10-20 ms, for ever: its restarts show the scheduler's turns. */
    private ManagedProcess restartingEvery10To20Millis(String name) {
        return process(name, Map.of("command", "sh", "args", "-c 'exit 1'", "restart", "always",
                "backoffInitialMillis", 10L, "backoffMaxMillis", 20L, "maxRestarts", 0));
    }

    /**
     * A child container "slow" whose warm spare's boot waits: its first run, once up, makes its JDK's release
     * file a FIFO no one writes (as a hung mount would leave it), after the run's own spawn read it.
     */
    private ManagedProcess containerWhoseSpareBootWaits(Path release) throws IOException {
        Path launcher = FakeJava.write(Files.createDirectories(release.resolveSibling("bin")).resolve("java"),
                "[ $role = spare ] && exec sleep 1000",
                "mkfifo \"" + release + "\"",
                FakeJava.READY,
                "exec sleep 1000");
        return process("slow", Map.of("type", "container", "command", launcher.toString(),
                "classDataSharing", false, "warmSpare", true, "restart", "always"));
    }

    /** Whether a thread of this JVM is in the read of a JDK's release file (a FIFO no one writes: it waits there). */
    static boolean aSpawnReadsAJdksRelease() {
        return Thread.getAllStackTraces().values().stream().anyMatch(frames -> Stream.of(frames)
                .anyMatch(frame -> frame.getClassName().equals(ChildJava.class.getName())));
    }

    /**
     * A new configuration of a child container: its old run stops, and the new one starts while its JDK's
     * release file cannot be read. Started on the scheduler thread, where the old run's end was handled, the
     * spawn held up every other process's backoff restarts meanwhile.
     */
    @Test
    void aSlowStartUnderANewConfigurationHoldsUpNoOtherProcesssRestarts() throws Exception {
        Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
        Path release = dir.resolve("jdk/release");
        Path launcher = FakeJava.write(jdk.resolve("java"), FakeJava.READY, "exec sleep 1000");
        Map<String, Object> settings = new HashMap<>(Map.of("type", "container", "command", launcher.toString(),
                "classDataSharing", false, "restart", "always"));
        ManagedProcess other = restartingEvery10To20Millis("other");
        ManagedProcess slow = process("slow", settings);
        try {
            other.start();
            slow.start();
            await().atMost(LONG).until(() -> slow.info().state() == ProcessState.RUNNING);
            ProcessHandle oldRun = ProcessHandle.of(slow.info().pid()).orElseThrow();
            mkfifo(release);
            settings.put("stopTimeoutMillis", 1500L);
            slow.reconfigure(ProcessSpec.parse("slow", TestConfigs.process(settings), dir, dir.resolve("data"),
                    Path.of("java")));
            // the old run has ended, and the new one's spawn waits (under its lock: not asked here)
            await().atMost(LONG).until(() -> !oldRun.isAlive());
            int before = other.info().restarts();

            await().atMost(Duration.ofSeconds(5)).until(() -> other.info().restarts() >= before + 8);
        } finally {
            unblock(release);
        }
    }

    static void mkfifo(Path path) throws Exception {
        assertThat(new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor()).isZero();
    }

    /** The spawn reading the FIFO reads, and is free again: a writer, then the path gone so that no later read waits. */
    static void unblock(Path release) throws Exception {
        if (Files.exists(release)) {
            try (RandomAccessFile writer = new RandomAccessFile(release.toFile(), "rw")) {
                writer.write("JAVA_VERSION=\"17\"\n".getBytes(StandardCharsets.US_ASCII));
                Files.delete(release);
            }
        }
    }

    @Test
    void aFailingCommandIsRestartedWithBackoffUntilTheCrashLoopLimit() {
        ManagedProcess process = process("crasher", Map.of("command", "sh", "args", "-c 'exit 3'",
                "backoffInitialMillis", 20L, "backoffMaxMillis", 100L, "maxRestarts", 3, "windowMillis", 60_000L));
        process.start();

        await().atMost(LONG).until(() -> process.info().state() == ProcessState.CRASH_LOOP);
        ProcessInfo info = process.info();
        assertThat(info.restarts()).isEqualTo(3);
        assertThat(info.lastExitCode()).isEqualTo(3);
        assertThat(info.pid()).isEqualTo(-1);
        assertThat(info.lastError()).contains("crash loop").contains("exit code 3").contains("proc:start crasher");
        assertThat(alerts).containsExactly("raised crasher 3 3");
        assertThat(recorded.windows).as("the window its restarts were counted in").containsExactly("60000 RESTARTS_IN_WINDOW");
    }

    @Test
    void aStartByHandClearsTheCrashLoop() {
        ManagedProcess process = process("again", Map.of("command", "sh", "args", "-c 'exit 1'",
                "backoffInitialMillis", 10L, "maxRestarts", 1));
        process.start();
        await().atMost(LONG).until(() -> process.info().state() == ProcessState.CRASH_LOOP);
        process.start();
        await().atMost(LONG).until(() -> process.info().restarts() == 2);
        await().atMost(LONG).until(() -> process.info().state() == ProcessState.CRASH_LOOP);
        assertThat(alerts).containsExactly("raised again 1 1", "cleared again", "raised again 1 1");
        assertThat(recorded.messages.get(1)).isEqualTo("process 'again' leaves its crash loop: it is started again");
    }

    /**
     * The crash-loop alert was raised and never cleared: followers of msf/alert/* (a pager) kept it open
     * for good after msf:health's WARN had ended. It clears as the process leaves the crash loop: started
     * again, reconfigured to stay down, or removed.
     */
    @Test
    void theCrashLoopAlertClearsWhenTheProcessLeavesIt() throws Exception {
        ManagedProcess disabled = process("off", Map.of("command", "sh", "args", "-c 'exit 1'",
                "backoffInitialMillis", 10L, "maxRestarts", 1));
        disabled.start();
        await().atMost(LONG).until(() -> disabled.info().state() == ProcessState.CRASH_LOOP);
        disabled.reconfigure(ProcessSpec.parse("off", TestConfigs.process(Map.of("command", "sh", "args",
                "-c 'exit 1'", "enabled", false, "stopTimeoutMillis", 2000L)), dir, dir.resolve("data"),
                Path.of("java"))).get(30, TimeUnit.SECONDS);
        assertThat(alerts).containsExactly("raised off 1 1", "cleared off");
        assertThat(recorded.messages.get(1)).isEqualTo("process 'off' leaves its crash loop: it has a new"
                + " configuration, which leaves it down (enabled = false)");

        ManagedProcess removed = process("gone", Map.of("command", "sh", "args", "-c 'exit 1'",
                "backoffInitialMillis", 10L, "maxRestarts", 1));
        removed.start();
        await().atMost(LONG).until(() -> removed.info().state() == ProcessState.CRASH_LOOP);
        removed.remove().get(30, TimeUnit.SECONDS);
        assertThat(alerts).containsExactly("raised off 1 1", "cleared off", "raised gone 1 1", "cleared gone");
        removed.remove().get(30, TimeUnit.SECONDS);
        assertThat(alerts).as("cleared once").hasSize(4);
    }

    @Test
    void aKilledCommandIsRestartedAtOnceThenAfterItsBackoff() {
        ManagedProcess process = process("sleeper", Map.of("command", "sleep", "args", "1000",
                "backoffInitialMillis", 300L));
        process.start();
        ProcessInfo first = process.info();
        assertThat(first.state()).isEqualTo(ProcessState.RUNNING);

        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly(); // kill -9: restarted without a delay
        await().atMost(LONG).until(process::info, info -> info.restarts() == 1
                && info.state() == ProcessState.RUNNING);
        ProcessInfo second = process.info();
        assertThat(second.pid()).isNotEqualTo(first.pid());
        assertThat(second.lastExitCode()).isEqualTo(137);
        assertThat(ProcessHandle.of(second.pid())).map(ProcessHandle::isAlive).contains(true);

        ProcessHandle.of(second.pid()).orElseThrow().destroyForcibly(); // again at once: now the backoff applies
        await().atMost(LONG).until(() -> process.info().state() == ProcessState.BACKOFF);
        await().atMost(LONG).until(() -> process.info().state() == ProcessState.RUNNING);
        ProcessInfo third = process.info();
        assertThat(third.pid()).isNotIn(first.pid(), second.pid());
        assertThat(third.restarts()).isEqualTo(2);
        assertThat(alerts).isEmpty();
    }

    /**
     * A child killed by a signal was told as "exit code 137": the operator had to know 128+n. The
     * signal is named in the process log, the crash-loop error (proc:list, proc:start) and the alert.
     */
    @Test
    void aChildKilledByASignalIsToldByTheSignalsName() throws Exception {
        ManagedProcess killed = process("killed", Map.of("command", "sleep", "args", "1000", "restart", "never"));
        killed.start();
        long pid = killed.info().pid();
        new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor(); // a real kill -9, from outside
        await().atMost(LONG).until(() -> killed.info().state() == ProcessState.EXITED);
        assertThat(killed.info().lastExitCode()).isEqualTo(137);
        assertThat(killed.log(10)).anyMatch(line -> line.endsWith("pid " + pid + " ended with exit code 137 (SIGKILL)"));

        ManagedProcess segv = process("segv", Map.of("command", "sh", "args", "-c 'kill -SEGV $$'",
                "backoffInitialMillis", 10L, "maxRestarts", 1));
        segv.start();
        await().atMost(LONG).until(() -> segv.info().state() == ProcessState.CRASH_LOOP);
        assertThat(segv.info().lastError()).startsWith("crash loop: ended with exit code 139 (SIGSEGV) after 1");
        assertThat(alerts).containsExactly("raised segv 1 139");
        assertThat(recorded.messages).containsExactly("process 'segv' crash loop: ended with exit code 139 (SIGSEGV)"
                + " after 1 restarts within 60000 ms; stays down until proc:start segv");
    }

    @Test
    void stopEndsTheProcessAndNothingRestartsIt() throws Exception {
        ManagedProcess process = process("stopped", Map.of("command", "sleep", "args", "1000", "restart", "always"));
        process.start();
        long pid = process.info().pid();
        process.stop().get(10, TimeUnit.SECONDS);

        ProcessInfo info = process.info();
        assertThat(info.state()).isEqualTo(ProcessState.STOPPED);
        assertThat(info.restarts()).isZero();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void aCommandIgnoringSigtermIsKilledWithItsChildrenAfterTheStopTimeout() throws Exception {
        ManagedProcess process = process("stubborn", Map.of("command", "sh",
                "args", "-c \"trap '' TERM; sleep 1000 & sleep 1000; wait\"", "stopTimeoutMillis", 200L));
        process.start();
        ProcessHandle root = ProcessHandle.of(process.info().pid()).orElseThrow();
        await().atMost(LONG).until(() -> root.descendants().count() >= 2);
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);

        process.stop().get(10, TimeUnit.SECONDS);
        await().atMost(LONG).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(process.info().state()).isEqualTo(ProcessState.STOPPED);
    }

    @Test
    void aStopIsOverOnlyOnceADescendantIgnoringSigtermHasEnded() throws Exception {
        ManagedProcess process = process("lingering", Map.of("command", "sh",
                "args", "-c \"(trap '' TERM; echo armed; exec sleep 1000) & exec sleep 1000\"", "stopTimeoutMillis", 3000L));
        process.start();
        ProcessHandle root = ProcessHandle.of(process.info().pid()).orElseThrow();
        await().atMost(LONG).until(() -> process.log(10).contains("armed"));
        List<ProcessHandle> descendants = root.descendants().toList();
        assertThat(descendants).isNotEmpty();
        try {
            CompletableFuture<Void> stopped = process.stop();
            await().atMost(LONG).until(() -> process.info().pid() == -1); // the run ended at SIGTERM

            // what it started still runs: neither stopped nor free for a new run
            assertThat(descendants).anyMatch(RunningProcesses::running);
            assertThat(stopped).isNotDone();
            assertThat(process.info().state()).isEqualTo(ProcessState.STOPPING);

            stopped.get(10, TimeUnit.SECONDS); // after the stop timeout's SIGKILL
            assertThat(descendants).noneMatch(RunningProcesses::running);
            assertThat(process.info().state()).isEqualTo(ProcessState.STOPPED);
        } finally {
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void whatACommandThatEndedByItselfLeftRunningIsEnded() throws Exception {
        Path pids = dir.resolve("left.pid");
        ManagedProcess process = process("forker", Map.of("command", "sh",
                "args", "-c 'sleep 1000 & echo $! > " + pids + "; exit 0'", "restart", "never"));
        process.start();
        await().atMost(LONG).until(() -> process.info().state() == ProcessState.EXITED);
        await().atMost(LONG).until(() -> Files.exists(pids) && Files.readString(pids).endsWith("\n"));
        ProcessHandle left = ProcessHandle.of(Long.parseLong(Files.readString(pids).strip())).orElseThrow();
        try {
            await().atMost(LONG).until(() -> !RunningProcesses.running(left));
        } finally {
            left.destroyForcibly();
        }
    }

    @Test
    void theRestartOfACommandThatEndedStartsOnlyOnceWhatItLeftRunningHasEnded() throws Exception {
        Path pids = dir.resolve("left.pids");
        ManagedProcess process = process("leaver", Map.of("command", leaver(pids).toString(), "stopTimeoutMillis", 1500L,
                "backoffInitialMillis", 60_000L, "backoffMaxMillis", 60_000L));
        List<ProcessHandle> left = new ArrayList<>();
        try {
            process.start();
            await().atMost(LONG).until(() -> Files.exists(pids) && !Files.readAllLines(pids).isEmpty());
            left.add(ProcessHandle.of(Long.parseLong(Files.readAllLines(pids).get(0))).orElseThrow());

            await().atMost(LONG).until(() -> Files.readAllLines(pids).size() >= 2); // the second run started
            left.add(ProcessHandle.of(Long.parseLong(Files.readAllLines(pids).get(1))).orElseThrow());
            assertThat(RunningProcesses.running(left.get(0))).isFalse(); // killed after the stop timeout, before it
            assertThat(process.log(20)).anyMatch(line -> line.contains("the next run waits"));
        } finally {
            left.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aStopWhileTheRestartWaitsForWhatTheLastRunLeftIsOverOnlyOnceThatHasEnded() throws Exception {
        Path pids = dir.resolve("left.pids");
        ManagedProcess process = process("leaver", Map.of("command", leaver(pids).toString(),
                "stopTimeoutMillis", 1500L));
        ProcessHandle left = null;
        try {
            process.start();
            await().atMost(LONG).until(() -> Files.exists(pids) && !Files.readAllLines(pids).isEmpty());
            left = ProcessHandle.of(Long.parseLong(Files.readAllLines(pids).get(0))).orElseThrow();
            await().atMost(LONG).until(() -> process.log(20).stream().anyMatch(line -> line.contains("the next run waits")));

            process.stop().get(10, TimeUnit.SECONDS);
            assertThat(RunningProcesses.running(left)).isFalse();
            assertThat(process.info().state()).isEqualTo(ProcessState.STOPPED);
            assertThat(Files.readAllLines(pids)).hasSize(1); // the waiting restart was called off
        } finally {
            if (left != null) {
                left.destroyForcibly();
            }
        }
    }

    @Test
    void aStopEndsWhatTheCommandStartedAndLeftRunningBeforeIt() throws Exception {
        Path pids = dir.resolve("orphan.pid");
        // the subshell ends at once: its sleep is re-parented, no descendant of the run any more
        ManagedProcess process = process("orphaner", Map.of("command", "sh",
                "args", "-c '(sleep 1000 & echo $! > " + pids + ") ; exec sleep 1000'"));
        process.start();
        await().atMost(LONG).until(() -> Files.exists(pids) && Files.readString(pids).endsWith("\n"));
        ProcessHandle orphan = ProcessHandle.of(Long.parseLong(Files.readString(pids).strip())).orElseThrow();
        try {
            ProcessHandle root = ProcessHandle.of(process.info().pid()).orElseThrow();
            await().atMost(LONG).until(() -> root.descendants().noneMatch(orphan::equals));

            process.stop().get(10, TimeUnit.SECONDS);
            await().atMost(LONG).until(() -> !RunningProcesses.running(orphan));
        } finally {
            orphan.destroyForcibly();
        }
    }

    /**
     * A run a parent that died left behind is ended before the next start, which waits for its end
     * without holding up the scheduler: the other processes' restarts and kills go on meanwhile.
     */
    @Test
    void aRunLeftBehindThatIsSlowToEndHoldsUpNoOtherProcess() throws Exception {
        assumeTrue(ProcessGroup.supported(), "setsid and /proc");
        ManagedProcess other = process("other", Map.of("command", "sleep", "args", "1000", "restart", "always"));
        other.start();
        long otherFirst = other.info().pid();
        // what a parent that died left of "slow": it ignores SIGTERM, so only the SIGKILL after the stop timeout ends it
        Path termed = dir.resolve("termed");
        Path trapped = dir.resolve("trapped");
        Process leftover = new ProcessBuilder(ProcessGroup.launching(List.of("sh", "-c",
                "trap 'echo TERM >> " + termed + "' TERM; echo > " + trapped + "; while :; do sleep 1; done"))).start();
        ProcessHandle left = leftover.toHandle();
        try {
            // a SIGTERM before the trap is set would end it at once, and the test would wait for nothing
            await().atMost(LONG).until(() -> Files.exists(trapped));
            ChildLayout layout = env.spawner().layout("slow");
            layout.prepareCommand();
            PidRecord.write(layout.pidRecord(), left);
            Map<String, Object> slowSettings = new HashMap<>(Map.of("command", "sleep", "args", "1000",
                    "stopTimeoutMillis", 15_000L, "enabled", false));
            ManagedProcess slow = process("slow", slowSettings);
            slowSettings.put("enabled", true);
            // a new configuration starts it on the scheduler, as a restart after its backoff would
            slow.reconfigure(ProcessSpec.parse("slow", TestConfigs.process(slowSettings), dir, dir.resolve("data"),
                    Path.of("java")));
            await().atMost(LONG).until(() -> Files.exists(termed)); // its ending has begun

            ProcessHandle.of(otherFirst).orElseThrow().destroyForcibly(); // restarted at once, on the scheduler
            await().atMost(LONG).until(other::info, info -> info.restarts() == 1
                && info.state() == ProcessState.RUNNING);

            assertThat(RunningProcesses.running(left)).as("the leftover, while the other process restarted").isTrue();
            assertThat(slow.info().state()).isEqualTo(ProcessState.BACKOFF);
            assertThat(slow.info().pid()).isEqualTo(-1);
            left.destroyForcibly(); // sooner than its SIGKILL: the start follows once its group is empty
            await().atMost(LONG).until(() -> slow.info().state() == ProcessState.RUNNING);
        } finally {
            left.destroyForcibly();
        }
    }

    /**
     * A command that leaves a process ignoring SIGTERM, armed before the command ends with exit code 1
     * (restarted at once), and appends that process's pid to {@code pids}.
     */
    private Path leaver(Path pids) throws Exception {
        Path armed = dir.resolve("armed");
        Path script = dir.resolve("leaver.sh");
        Files.writeString(script, "#!/bin/sh\n"
                + "(trap '' TERM; echo > " + armed + "; exec sleep 1000) &\n"
                + "while [ ! -e " + armed + " ]; do sleep 0.01; done\n"
                + "rm " + armed + "; echo $! >> " + pids + "\n"
                + "exit 1\n");
        script.toFile().setExecutable(true);
        return script;
    }

    @Test
    void policyNeverLeavesItDown() {
        ManagedProcess process = process("once", Map.of("command", "sh", "args", "-c 'exit 2'", "restart", "never"));
        process.start();
        await().atMost(LONG).until(() -> process.info().state() == ProcessState.EXITED);
        assertThat(process.info().restarts()).isZero();
        assertThat(process.info().lastExitCode()).isEqualTo(2);
    }

    @Test
    void onFailureLeavesACleanExitDown() {
        ManagedProcess process = process("clean", Map.of("command", "true"));
        process.start();
        await().atMost(LONG).until(() -> process.info().state() == ProcessState.EXITED);
        assertThat(process.info().lastExitCode()).isZero();
    }

    @Test
    void aProgramThatCannotBeSpawnedCountsAsAFailure() {
        ManagedProcess process = process("missing", Map.of("command", dir.resolve("no-such-program").toString(),
                "backoffInitialMillis", 10L, "maxRestarts", 2));
        process.start();
        await().atMost(LONG).until(() -> process.info().state() == ProcessState.CRASH_LOOP);
        // why it never ran stays in what proc:list and the alert say, not "ended with exit code -1"
        assertThat(process.info().lastError()).startsWith("crash loop: cannot start " + dir.resolve("no-such-program"))
                .endsWith("; 2 restarts within 60000 ms; stays down until proc:start missing")
                .doesNotContain("exit code");
        assertThat(alerts).containsExactly("raised missing 2 -1");
        assertThat(recorded.messages.get(0)).isEqualTo("process 'missing' " + process.info().lastError());
    }

    @Test
    void theErrorOfAFailedStartIsClearedOnceALaterRunHasLastedTheBackoffReset() throws Exception {
        Path program = dir.resolve("later.sh");
        ManagedProcess process = process("late", Map.of("command", program.toString(), "backoffInitialMillis", 20L,
                "backoffMaxMillis", 400L, "maxRestarts", 0));
        process.start();
        await().atMost(LONG).until(() -> process.info().lastError().startsWith("cannot start"));

        Files.writeString(program, "#!/bin/sh\nexec sleep 1000\n");
        program.toFile().setExecutable(true);
        await().atMost(LONG).until(() -> process.info().state() == ProcessState.RUNNING);
        await().atMost(LONG).until(() -> process.info().lastError().isEmpty());
        ProcessInfo info = process.info();
        assertThat(info.state()).isEqualTo(ProcessState.RUNNING);
        assertThat(info.uptimeMillis()).isGreaterThanOrEqualTo(400);
    }

    @Test
    void stdoutAndStderrGoToTheProcessLog() throws Exception {
        ManagedProcess process = process("talker", Map.of("command", "sh", "args", "-c 'echo out; echo err >&2'",
                "restart", "never"));
        process.start();
        await().atMost(LONG).until(() -> process.log(10).stream().anyMatch(line -> line.contains("ended with exit code 0")));
        await().atMost(LONG).until(() -> process.log(10).containsAll(List.of("out", "err")));
        assertThat(Files.readString(dir.resolve("data/log/proc-talker.log"))).contains("started pid");
    }

    @Test
    void whatARunPrintsAtOnceFollowsItsStartLineInTheProcessLog() throws Exception {
        // The supervisor's logger is slow to take the 'started' line, while the run prints at once.
        Logger slowToLogAStart = mock(Logger.class, invocation -> {
            if (invocation.getMethod().getName().equals("info") && invocation.getArguments().length > 0
                    && invocation.getArguments()[0] instanceof String format && format.startsWith("process '{}' started")) {
                Thread.sleep(300);
            }
            return RETURNS_DEFAULTS.answer(invocation);
        });
        env = new ProcessEnvironment(new ChildSpawner(dir, dir.resolve("data"), mock(Logger.class)), scheduler,
                spawning, ProcessEnvironment::monotonicMillis, new RecordedAlerts(),
                slowToLogAStart);
        ManagedProcess process = process("early", Map.of("command", "sh", "args", "-c 'echo first; exec sleep 1000'"));
        process.start();
        await().atMost(LONG).until(() -> process.log(10).contains("first"));

        List<String> lines = process.log(10);
        int startLine = lines.indexOf(lines.stream().filter(line -> line.contains("started pid")).findFirst().orElseThrow());
        assertThat(lines.indexOf("first")).as("in %s", lines).isGreaterThan(startLine);
    }

    /**
     * The thread that copies a run's output cannot start (out of memory, or of threads) after the
     * spawn: the run is ended, as nothing would drain its pipe or hear of its end, and the start
     * has failed.
     */
    @Test
    void aRunWhoseOutputCannotBeCopiedIsEndedAndItsStartFails() throws Exception {
        ManagedProcess process = process("unwatched", Map.of("command", "sleep", "args", "1000", "restart", "never"));
        Throwable thrown;
        try (MockedStatic<OutputPump> pumps = mockStatic(OutputPump.class)) {
            pumps.when(() -> OutputPump.start(any(), anyLong(), any(), any(), any()))
                    .thenThrow(new OutOfMemoryError("unable to create native thread"));
            thrown = catchThrowable(process::start);
        }
        String startLine = process.log(10).stream().filter(line -> line.contains("started pid")).findFirst()
                .orElseThrow();
        ProcessHandle run = ProcessHandle.of(Long.parseLong(startLine.substring(startLine.lastIndexOf(' ') + 1)))
                .orElse(null);
        try {
            assertThat(thrown).as("thrown by the start").isNull();
            await().atMost(LONG).until(() -> run == null || !RunningProcesses.running(run));
            ProcessInfo info = process.info();
            assertThat(info.state()).isEqualTo(ProcessState.EXITED);
            assertThat(info.lastError()).contains("output cannot be copied", "unable to create native thread");
            assertThat(process.log(10)).anyMatch(line -> line.contains("output cannot be copied"));
        } finally {
            if (run != null) {
                run.destroyForcibly();
            }
        }
    }

    @Test
    void theEnvironmentNamesTheParentAndItsAgent() throws Exception {
        ManagedProcess process = process("env", Map.of("command", "sh",
                "args", "-c 'echo parent=$MSF_PARENT_PID agent=$MSF_AGENT_SOCKET; echo cwd=$(pwd)'", "restart", "never"));
        process.start();
        await().atMost(LONG).until(() -> process.info().state() == ProcessState.EXITED);
        await().atMost(LONG).until(() -> process.log(10).stream().anyMatch(line -> line.startsWith("cwd=")));
        assertThat(process.log(10)).contains("parent=" + ProcessHandle.current().pid() + " agent="
                + dir.resolve("data/agent.sock"), "cwd=" + dir.resolve("data/children/env").toRealPath());
    }

    @Test
    void aNewConfigurationRestartsTheProcessWithIt() throws Exception {
        ManagedProcess process = process("changing", Map.of("command", "sleep", "args", "1000"));
        process.start();
        long before = process.info().pid();
        ProcessSpec next = ProcessSpec.parse("changing", TestConfigs.process(Map.of("command", "sleep", "args", "999")),
                dir, dir.resolve("data"), Path.of("java"));
        process.reconfigure(next).get(10, TimeUnit.SECONDS);

        ProcessInfo after = process.info();
        assertThat(after.state()).isEqualTo(ProcessState.RUNNING);
        assertThat(after.pid()).isNotEqualTo(before);
        assertThat(RunningProcesses.programArguments(after.pid())).containsExactly("999");
    }

    @Test
    void theSameConfigurationDeliveredAgainLeavesTheRunAlone() throws Exception {
        // Config Admin calls modified for an update that changes no value (a file saved unchanged)
        ManagedProcess process = process("unchanged", Map.of("command", "sleep", "args", "1000"));
        process.start();
        long before = process.info().pid();
        ProcessSpec again = ProcessSpec.parse("unchanged", TestConfigs.process(Map.of("command", "sleep", "args", "1000",
                "stopTimeoutMillis", 2000L)), dir, dir.resolve("data"), Path.of("java"));
        process.reconfigure(again).get(10, TimeUnit.SECONDS);

        assertThat(process.info().pid()).isEqualTo(before);
        assertThat(process.info().state()).isEqualTo(ProcessState.RUNNING);
    }

    @Test
    void aDisabledConfigurationStopsIt() throws Exception {
        ManagedProcess process = process("disabled", Map.of("command", "sleep", "args", "1000"));
        process.start();
        ProcessSpec next = ProcessSpec.parse("disabled", TestConfigs.process(Map.of("command", "sleep", "args", "1000",
                "enabled", false)), dir, dir.resolve("data"), Path.of("java"));
        process.reconfigure(next).get(10, TimeUnit.SECONDS);
        assertThat(process.info().state()).isEqualTo(ProcessState.STOPPED);
        assertThat(process.info().pid()).isEqualTo(-1);
    }

    @Test
    void aProcessRemovedWhileANewConfigurationStopsItIsNotStartedAgain() throws Exception {
        // e.g. the container stops (or the configuration is deleted) right after an edit of msf.process~<name>
        ManagedProcess process = process("removed", Map.of("command", "sh",
                "args", "-c \"trap '' TERM; sleep 1000\"", "stopTimeoutMillis", 300L));
        process.start();
        ProcessSpec next = ProcessSpec.parse("removed", TestConfigs.process(Map.of("command", "sleep", "args", "997")),
                dir, dir.resolve("data"), Path.of("java"));
        var reconfigured = process.reconfigure(next);
        process.remove().get(10, TimeUnit.SECONDS);
        reconfigured.get(10, TimeUnit.SECONDS);

        assertThat(process.info().pid()).isEqualTo(-1);
        assertThat(process.info().state()).isEqualTo(ProcessState.STOPPED);
        assertThat(ProcessHandle.current().descendants()
                .filter(child -> child.info().arguments().map(List::of).orElse(List.of()).contains("997")))
                .isEmpty();
    }

    @Test
    void aRestartDuringANewConfigurationRunsTheNewSettings() throws Exception {
        // proc:restart (stop, wait, start) while a reconfiguration waits for the old run's end: a run deaf to
        // SIGTERM, which the SIGKILL after its stop timeout ends
        Path trapped = dir.resolve("trapped");
        ManagedProcess process = process("restarted", Map.of("command", "sh",
                "args", "-c \"trap '' TERM; echo > " + trapped + "; sleep 1000\"", "stopTimeoutMillis", 1000L));
        process.start();
        // deaf only once the shell has set its trap: a SIGTERM before that ended the run at once, and the
        // reconfiguration's STOPPING came and went between two looks of the wait below
        await().atMost(LONG).until(() -> Files.exists(trapped));
        long before = process.info().pid();
        ProcessSpec next = ProcessSpec.parse("restarted", TestConfigs.process(Map.of("command", "sleep",
                "args", "998", "stopTimeoutMillis", 2000L)), dir, dir.resolve("data"), Path.of("java"));
        CompletableFuture<Void> reconfigured = process.reconfigure(next);
        // applied on a spawning thread: the reconfiguration's stop has begun
        await().atMost(LONG).until(() -> process.info().state() == ProcessState.STOPPING);
        process.stop().get(10, TimeUnit.SECONDS); // what Supervisor.restart does
        process.start();
        reconfigured.get(10, TimeUnit.SECONDS);

        ProcessInfo after = process.info();
        assertThat(after.state()).isEqualTo(ProcessState.RUNNING);
        assertThat(after.pid()).isNotEqualTo(before);
        assertThat(RunningProcesses.programArguments(after.pid())).containsExactly("998");
        assertThat(process.spec().args()).containsExactly("998");
    }

    @Test
    void theLogIsClosedOnceTheLastOutputOfARemovedProcessIsWritten() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd");
        ManagedProcess process = startedWithALateWriter("late");
        Path log = dir.resolve("data/log/proc-late.log");

        process.remove().get(10, TimeUnit.SECONDS);
        await().atMost(LONG).until(() -> Files.readString(log).contains("late"));
        await().atMost(LONG).until(() -> openHandles(log) == 0);
    }

    @Test
    void aNewConfigurationLeavesOneWriterOnTheLog() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd");
        ManagedProcess process = startedWithALateWriter("relate");
        Path log = dir.resolve("data/log/proc-relate.log");
        ProcessSpec next = ProcessSpec.parse("relate", TestConfigs.process(Map.of("command", "sleep", "args", "996")),
                dir, dir.resolve("data"), Path.of("java"));
        process.reconfigure(next).get(10, TimeUnit.SECONDS);

        await().atMost(LONG).until(() -> Files.readString(log).contains("late"));
        assertThat(openHandles(log)).isEqualTo(1);
        process.remove().get(10, TimeUnit.SECONDS);
        await().atMost(LONG).until(() -> openHandles(log) == 0);
    }

    /** How many of this JVM's file descriptors are open on {@code file}. */
    private static long openHandles(Path file) throws Exception {
        Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (Exception e) {
                    return false; // closed meanwhile, or not a link
                }
            }).count();
        }
    }

    /**
     * A started process with a descendant that ignores SIGTERM and writes "late" a second later, after
     * the run has ended, then ends by itself; returned once that descendant ignores SIGTERM ("armed").
     */
    private ManagedProcess startedWithALateWriter(String name) {
        ManagedProcess process = process(name, Map.of("command", "sh",
                "args", "-c \"(trap '' TERM; echo armed; sleep 1; echo late) & exec sleep 1000\"", "stopTimeoutMillis", 5000L));
        process.start();
        await().atMost(LONG).until(() -> process.log(10).contains("armed"));
        return process;
    }
}
