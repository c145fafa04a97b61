package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;

import io.msf.supervisor.api.ProcessInfo;
import io.msf.supervisor.api.ProcessState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

class ProcessSupervisorTest {

    @TempDir
    Path dir;

    private ProcessSupervisor supervisor;
    private boolean deactivated;

    @BeforeEach
    void setUp() throws IOException {
        supervisor = TestSupervisors.at(dir);
    }

    @AfterEach
    void tearDown() {
        if (!deactivated) {
            supervisor.deactivate();
        }
    }

    private ProcessSpec spec(String name, Map<String, Object> values) {
        return ProcessSpec.parse(name, TestConfigs.process(values), supervisor.home(), supervisor.data(),
                Path.of("java"));
    }

    /**
     * A configuration waiting for a name takes it over once the process holding it has gone, and starts a child
     * container while its JDK's release file cannot be read (a FIFO no one writes, as a hung mount would leave
     * it). Taken over on the scheduler thread, the spawn held up every other process's backoff restarts.
     */
    @Test
    void aSlowTakeOverOfANameHoldsUpNoOtherProcesssRestarts() throws Exception {
        Path release = dir.resolve("jdk/release");
        Path launcher = FakeJava.write(Files.createDirectories(dir.resolve("jdk/bin")).resolve("java"), FakeJava.READY,
                "exec sleep 1000");
        supervisor.add(spec("other", Map.of("command", "sh", "args", "-c 'exit 1'", "restart", "always",
                "backoffInitialMillis", 10L, "backoffMaxMillis", 20L, "maxRestarts", 0)));
        supervisor.add(spec("worker", Map.of("command", "sleep", "args", "1000", "stopTimeoutMillis", 500L)), "a", "a",
                () -> false);
        ProcessSpec slow = spec("worker", Map.of("type", "container", "command", launcher.toString(),
                "classDataSharing", false));
        assertThatThrownBy(() -> supervisor.add(slow, "b", "b", () -> {
            supervisor.add(slow);
            return true;
        })).isInstanceOf(ProcessSupervisor.NameTaken.class);
        try {
            ManagedProcessTest.mkfifo(release);
            supervisor.remove("worker");
            await().atMost(Duration.ofSeconds(10)).until(() -> taken("worker")); // its spawn waits, under its lock
            int before = supervisor.process("other").restarts();

            await().atMost(Duration.ofSeconds(5)).until(() -> supervisor.process("other").restarts() >= before + 8);
        } finally {
            ManagedProcessTest.unblock(release);
        }
    }

    /**
     * A new configuration (on Config Admin's thread, which delivers every configuration of the container) of
     * a child container whose JDK's release file cannot be read (a FIFO no one writes, as a hung mount would
     * leave it): its first run was spawned on that thread, and Config Admin waited as long as the spawn did.
     */
    @Test
    void aHungFirstSpawnHoldsUpNoAddition() throws Exception {
        Path release = dir.resolve("jdk/release");
        Path launcher = FakeJava.write(Files.createDirectories(release.resolveSibling("bin")).resolve("java"),
                FakeJava.READY, "exec sleep 1000");
        ManagedProcessTest.mkfifo(release);
        ExecutorService configAdmin = Executors.newSingleThreadExecutor();
        try {
            Future<?> added = configAdmin.submit(() -> supervisor.add(spec("slow", Map.of("type", "container",
                    "command", launcher.toString(), "classDataSharing", false))));
            added.get(2, TimeUnit.SECONDS);
        } finally {
            ManagedProcessTest.unblock(release);
            configAdmin.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.process("slow").state() == ProcessState.RUNNING);
    }

    /**
     * proc:start, proc:stop and proc:restart of a process whose restart is spawned while the spawn waits (its
     * JDK's release file a FIFO no one writes, as a hung mount would leave it): they waited for the lock the
     * spawn holds, and the console with them, with no word and no end. They are refused after a bounded wait,
     * saying why, and have done nothing: the run the spawn starts once free runs on.
     */
    @Test
    void theCommandsOnAProcessWhoseSpawnHangsAnswerInBoundedTime() throws Exception {
        Path release = dir.resolve("jdk/release");
        Path launcher = FakeJava.write(Files.createDirectories(release.resolveSibling("bin")).resolve("java"),
                "[ -e \"$0.ran\" ] || { touch \"$0.ran\"; mkfifo \"" + release + "\"; exit 1; }",
                "exec sleep 1000");
        supervisor.add(spec("slow", Map.of("type", "container", "command", launcher.toString(),
                "classDataSharing", false, "restart", "always", "maxRestarts", 0)));
        ExecutorService console = Executors.newSingleThreadExecutor();
        try {
            await().atMost(Duration.ofSeconds(20)).until(ManagedProcessTest::aSpawnReadsAJdksRelease);
            for (Function<String, ProcessInfo> command : List.<Function<String, ProcessInfo>>of(supervisor::start,
                    supervisor::stop, supervisor::restart)) {
                Future<ProcessInfo> answer = console.submit(() -> command.apply("slow"));
                assertThatThrownBy(() -> answer.get(ProcessSupervisor.BY_HAND_WAIT_MILLIS + 3000, TimeUnit.MILLISECONDS))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("process 'slow' is being spawned since ")
                        .hasMessageEndingWith("; try again (proc:list shows it meanwhile)");
            }
        } finally {
            ManagedProcessTest.unblock(release);
            console.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.process("slow").pid() > 0);
        assertThat(supervisor.process("slow").state()).as("not stopped").isEqualTo(ProcessState.STARTING);
    }

    /**
     * proc:log of a process whose restart is spawned while the spawn waits (its JDK's release file a FIFO no one
     * writes, as a hung mount would leave it): it read the log's writer under the lock the spawn holds, and the
     * console waited with no end, just when the operator looks at the log for why.
     */
    @Test
    void theLogOfAProcessWhoseSpawnHangsIsShownAtOnce() throws Exception {
        Path release = dir.resolve("jdk/release");
        supervisor.add(spec("slow", whoseRestartHangs(release)));
        ExecutorService console = Executors.newSingleThreadExecutor();
        try {
            await().atMost(Duration.ofSeconds(20)).until(ManagedProcessTest::aSpawnReadsAJdksRelease);
            Future<List<String>> tail = console.submit(() -> supervisor.log("slow", 10));
            assertThat(tail.get(2, TimeUnit.SECONDS)).anyMatch(line -> line.contains(" ended with "));
        } finally {
            ManagedProcessTest.unblock(release);
            console.shutdownNow();
        }
    }

    /**
     * A process removed while its restart's spawn waits (its JDK's release file a FIFO no one writes): the
     * removal returns, but the next one (of any process, on Config Admin's thread) asked each process removed
     * before whether its output is still copied, under the lock that spawn holds, and waited for it with every
     * configuration of the container.
     */
    @Test
    void aHungSpawnOfARemovedProcessHoldsUpNoOtherRemoval() throws Exception {
        Path release = dir.resolve("jdk/release");
        supervisor.add(spec("slow", whoseRestartHangs(release)));
        supervisor.add(spec("other", Map.of("command", "sleep", "args", "1000", "stopTimeoutMillis", 500L)));
        ExecutorService configAdmin = Executors.newSingleThreadExecutor();
        try {
            await().atMost(Duration.ofSeconds(20)).until(ManagedProcessTest::aSpawnReadsAJdksRelease);
            configAdmin.submit(() -> supervisor.remove("slow")).get(2, TimeUnit.SECONDS);
            configAdmin.submit(() -> supervisor.remove("other")).get(2, TimeUnit.SECONDS);
        } finally {
            ManagedProcessTest.unblock(release);
            configAdmin.shutdownNow();
        }
    }

    /**
     * A process removed while its restart's spawn waits (its JDK's release file a FIFO no one writes, as a hung
     * mount would leave it), and a configuration of the same name added meanwhile (a file deleted and made
     * again, to point at another JDK): the new process started at once, and the old spawn, once free, started
     * a second copy beside it, in the same folders, holding the same port, its pid record now the old run's.
     * The new one's first run waits for the old one's end, as after a change of name.
     */
    @Test
    void aProcessAddedUnderTheNameOfOneRemovedWhileItsSpawnHangsWaitsForItsEnd() throws Exception {
        Path release = dir.resolve("jdk/release");
        supervisor.add(spec("slow", whoseRestartHangs(release)));
        try {
            await().atMost(Duration.ofSeconds(20)).until(ManagedProcessTest::aSpawnReadsAJdksRelease);
            supervisor.remove("slow");
            supervisor.add(spec("slow", Map.of("command", "sleep", "args", "1000", "stopTimeoutMillis", 500L)));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> supervisor.process("slow").pid() < 0);
            assertThat(supervisor.process("slow").state()).isEqualTo(ProcessState.BACKOFF);
        } finally {
            ManagedProcessTest.unblock(release);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.process("slow").pid() > 0);
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(child -> child.info().commandLine().orElse("").contains("sleep 1001")).toList())
                .as("the old configuration's run").isEmpty();
    }

    /**
     * A child container whose first run makes its JDK's release file a FIFO no one writes (as a hung mount would
     * leave it) and fails: the spawn of its restart then waits for as long as the FIFO does.
     */
    private Map<String, Object> whoseRestartHangs(Path release) throws IOException {
        Path launcher = FakeJava.write(Files.createDirectories(release.resolveSibling("bin")).resolve("java"),
                "[ -e \"$0.ran\" ] || { touch \"$0.ran\"; mkfifo \"" + release + "\"; exit 1; }",
                "exec sleep 1001");
        return Map.of("type", "container", "command", launcher.toString(), "classDataSharing", false,
                "restart", "always", "maxRestarts", 0, "stopTimeoutMillis", 500L);
    }

    /**
     * The first configuration waiting for a name is handed it, but another takes the name first (a second
     * hand-over, or a configuration added meanwhile): the first keeps its place, and is the first asked once
     * the name is free again. It went to the back, behind every configuration that came after it.
     */
    @Test
    void aWaitingConfigurationThatLosesAHandOverKeepsItsPlace() throws Exception {
        ProcessSpec worker = spec("worker", Map.of("command", "sleep", "args", "1000", "stopTimeoutMillis", 500L));
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicReference<java.util.function.BooleanSupplier> first = new AtomicReference<>();
        first.set(() -> {
            asked.add("first");
            if (asked.size() == 1) {
                supervisor.add(worker); // another takes the name before the first waiting does
            }
            try {
                supervisor.add(worker, "first", "first", first.get());
            } catch (ProcessSupervisor.NameTaken waitsAgain) {
                // waits again, as ConfiguredProcess does
            }
            return true;
        });
        supervisor.add(worker, "holder", "holder", () -> false);
        assertThatThrownBy(() -> supervisor.add(worker, "first", "first", first.get()))
                .isInstanceOf(ProcessSupervisor.NameTaken.class);
        assertThatThrownBy(() -> supervisor.add(worker, "second", "second", () -> {
            asked.add("second");
            return false;
        })).isInstanceOf(ProcessSupervisor.NameTaken.class);

        supervisor.remove("worker");
        await().atMost(Duration.ofSeconds(10)).until(() -> asked.size() == 1 && taken("worker"));
        supervisor.remove("worker");
        await().atMost(Duration.ofSeconds(10)).until(() -> asked.size() >= 2);

        assertThat(asked).startsWith("first", "first");
    }

    private boolean taken(String name) {
        try {
            supervisor.required(name);
            return true;
        } catch (NoSuchElementException e) {
            return false;
        }
    }

    /**
     * What a process left running outside its group is copied until the process is removed, and 2 s after:
     * as the bundle stops, its configurations are removed first, then the supervisor stops, whose scheduler
     * then dropped the task that would end the copy. The copier read on past the stop, its log open, the old
     * bundle's classes held. The stop ends it.
     */
    @Test
    void theCopyOfWhatARemovedProcessLeftRunningEndsWithTheSupervisorsStop() throws Exception {
        assumeTrue(ProcessGroup.supported(), "setsid and /proc");
        Path escapedPid = dir.resolve("escaped.pid");
        supervisor.add(spec("escaping", Map.of("command", "/bin/sh", "args", "-c '(setsid sh -c \"echo \\$\\$ > "
                + escapedPid + "; while :; do echo tick; sleep 0.2; done\" &); exec sleep 1000'",
                "stopTimeoutMillis", 500L)));
        ProcessHandle escaped = null;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(escapedPid)
                    && !Files.readString(escapedPid).isBlank());
            escaped = ProcessHandle.of(Long.parseLong(Files.readString(escapedPid).trim())).orElseThrow();
            Path log = supervisor.data().resolve("log/proc-escaping.log");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && Files.size(log) > 0);

            supervisor.remove("escaping").get(10, TimeUnit.SECONDS); // its configuration goes first
            supervisor.deactivate();
            deactivated = true;

            long size = Files.size(log);
            Thread.sleep(1_000); // five ticks of what is still running
            assertThat(Files.size(log)).as("the log, once the supervisor has stopped").isEqualTo(size);
            assertThat(Thread.getAllStackTraces().keySet()).as("copier threads")
                    .noneMatch(thread -> thread.getName().startsWith("msf-proc-escaping-"));
        } finally {
            if (escaped != null) {
                escaped.destroyForcibly();
            }
        }
    }

    /**
     * A warm spare a reconfiguration discarded ends with the SIGKILL after the old configuration's stop timeout,
     * which may be the longer one: with the new configuration in force (a start put it there while the spare
     * ended), the supervisor's stop waited only the new one, and its scheduler went, the SIGKILL with it. The
     * spare, deaf to SIGTERM, ran on.
     */
    @Test
    void theOldConfigurationsWarmSpareIsKilledBeforeTheSupervisorStops() throws Exception {
        ProcessHandle spare = deafSpareOfAnOldConfigurationWhileTheNewRuns(4000);
        try {
            supervisor.deactivate();
            deactivated = true;

            await().atMost(Duration.ofSeconds(2)).until(() -> !spare.isAlive());
        } finally {
            spare.destroyForcibly();
        }
    }

    /**
     * proc:stop waits for the spare an old configuration discarded as well (its end is part of the stop's),
     * so it waits the longer of the two stop timeouts: waiting the new one alone, it said the process "has not
     * ended within 200 ms of its SIGTERM and the SIGKILL that followed" while that spare's SIGKILL was still
     * to come.
     */
    @Test
    void procStopWaitsForTheSigkillOfAnOldConfigurationsWarmSpare() throws Exception {
        ProcessHandle spare = deafSpareOfAnOldConfigurationWhileTheNewRuns(5000);
        try {
            assertThat(supervisor.stop("kid").state()).isEqualTo(ProcessState.STOPPED);
            assertThat(spare.isAlive()).isFalse();
        } finally {
            spare.destroyForcibly();
        }
    }

    /**
     * A container process "kid" whose first configuration ({@code oldStopTimeoutMillis}) booted a warm spare
     * deaf to SIGTERM, then a second one (200 ms, no spare) put in force by a start while that spare, discarded,
     * waits for its SIGKILL.
     */
    private ProcessHandle deafSpareOfAnOldConfigurationWhileTheNewRuns(long oldStopTimeoutMillis) throws Exception {
        Path sparePid = dir.resolve("spare.pid");
        Path launcher = FakeJava.write(dir.resolve("fake-java"),
                "if [ $role = spare ]; then",
                "  trap '' TERM", // a spare that a SIGKILL alone ends
                "  echo $$ > '" + sparePid + ".tmp' && mv '" + sparePid + ".tmp' '" + sparePid + "'",
                "  while :; do sleep 0.1; done",
                "fi",
                FakeJava.READY,
                "exec sleep 1000");
        Map<String, Object> container = Map.of("type", "container", "command", launcher.toString(),
                "classDataSharing", false);
        Map<String, Object> first = new HashMap<>(container);
        first.put("warmSpare", true);
        first.put("stopTimeoutMillis", oldStopTimeoutMillis);
        supervisor.add(spec("kid", first));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(sparePid));
        ProcessHandle spare = ProcessHandle.of(Long.parseLong(Files.readString(sparePid).trim())).orElseThrow();
        try {
            Map<String, Object> next = new HashMap<>(container);
            next.put("stopTimeoutMillis", 200L);
            supervisor.reconfigure(spec("kid", next));
            // applied on a spawning thread: its stop has begun, and the run has ended (the spare has not)
            await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.process("kid").state()
                    == ProcessState.STOPPED);
            supervisor.start("kid"); // the new configuration in force while the old spare ends
            return spare;
        } catch (Exception | Error e) {
            spare.destroyForcibly();
            throw e;
        }
    }

    @Test
    void foldersComeFromTheFrameworkProperties() {
        assertThat(supervisor.home()).isEqualTo(dir);
        assertThat(supervisor.data()).isEqualTo(dir.resolve("data"));
    }

    @Test
    void aRefusedDefaultDataFolderKeepsTheSupervisorFromStarting() throws IOException {
        // msf.data unset, and its default in the temporary folder is a link another user put there
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(tmp.resolve("msf-data-tester"), elsewhere);
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty("java.io.tmpdir")).thenReturn(tmp.toString());
        when(context.getProperty("user.name")).thenReturn("tester");

        assertThatThrownBy(() -> new ProcessSupervisor(context, mock(Logger.class))).isInstanceOf(IOException.class)
                .hasMessageStartingWith("data folder " + link + " refused: it is a symbolic link (to " + elsewhere + ")");
    }

    @Test
    void anEnabledProcessStartsWhenAddedAndADisabledOneWaits() {
        supervisor.add(spec("a", Map.of("command", "sleep", "args", "1000")));
        supervisor.add(spec("b", Map.of("command", "sleep", "args", "1000", "enabled", false)));
        TestSupervisors.startedPid(supervisor, "a");
        assertThat(supervisor.processes()).extracting(ProcessInfo::name, ProcessInfo::state)
                .containsExactly(tuple("a", ProcessState.RUNNING), tuple("b", ProcessState.STOPPED));
        assertThat(supervisor.start("b").state()).isEqualTo(ProcessState.RUNNING);
    }

    @Test
    void aNameCanBeUsedOnce() {
        supervisor.add(spec("twice", Map.of("command", "sleep", "args", "1000", "enabled", false)));
        assertThatThrownBy(() -> supervisor.add(spec("twice", Map.of("command", "true"))))
                .hasMessageStartingWith("name: ").hasMessageContaining("'twice'");
    }

    /** It said "(configured by msf.process~ghost)", as if there were such a configuration. */
    @Test
    void anUnknownNameIsToldPlainly() {
        assertThatThrownBy(() -> supervisor.stop("ghost")).isInstanceOf(NoSuchElementException.class)
                .hasMessage("no process named 'ghost': none is configured (a file etc/msf.process~ghost.cfg would"
                        + " make one; config:rejected and log:tail say why one there is refused); proc:list lists"
                        + " those there are");
    }

    @Test
    void stopAndRestartByHand() {
        supervisor.add(spec("manual", Map.of("command", "sleep", "args", "1000", "restart", "always")));
        long first = TestSupervisors.startedPid(supervisor, "manual");
        assertThat(supervisor.stop("manual").state()).isEqualTo(ProcessState.STOPPED);
        ProcessInfo restarted = supervisor.restart("manual");
        assertThat(restarted.state()).isEqualTo(ProcessState.RUNNING);
        assertThat(restarted.pid()).isNotEqualTo(first);
        assertThat(restarted.restarts()).isZero(); // restarts by hand are not the policy's
    }

    /**
     * A start while the process still stops does nothing (what is left may hold what a new run needs),
     * and said "STOPPING (pid N)" as a success: the operator took the start for done or coming.
     */
    @Test
    void aStartWhileTheProcessStillStopsIsRefusedSayingWhen() throws Exception {
        supervisor.add(spec("stubborn", Map.of("command", "sh", "args", "-c \"trap '' TERM; echo armed; sleep 1000\"",
                "stopTimeoutMillis", 1500L)));
        await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.log("stubborn", 10).contains("armed"));
        long pid = TestSupervisors.startedPid(supervisor, "stubborn");
        var stopped = supervisor.required("stubborn").stop();

        assertThatThrownBy(() -> supervisor.start("stubborn")).isInstanceOf(IllegalStateException.class)
                .hasMessage("process 'stubborn' is still stopping (pid " + pid + "), so it was not started; what is"
                        + " left gets SIGKILL 1500 ms after its SIGTERM: proc:start it once proc:list shows it STOPPED");
        stopped.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(supervisor.process("stubborn").state()).isEqualTo(ProcessState.STOPPED);
    }

    /**
     * proc:start looked at the process a second time, under a second hold of its lock, to tell whether
     * it had started it: a stop (or a reconfiguration) between the two made a start that had happened
     * throw "so it was not started". Here the stop is asked for while the start spawns, and waits for
     * the lock the start holds.
     */
    @Test
    void aStartThatHappenedIsNotRefusedForAStopThatFollowsIt() throws Exception {
        Logger log = mock(Logger.class);
        AtomicReference<Runnable> onSpawn = new AtomicReference<>(() -> { });
        doAnswer(call -> {
            onSpawn.get().run();
            return null;
        }).when(log).info(eq("process '{}' started: pid {}, {}"), any(), any(), any());
        supervisor.deactivate();
        supervisor = TestSupervisors.at(dir, log);
        supervisor.add(spec("racy", Map.of("command", "sleep", "args", "1000", "enabled", false)));
        ManagedProcess process = supervisor.required("racy");

        for (int i = 0; i < 30; i++) {
            List<Thread> stoppers = new ArrayList<>();
            onSpawn.set(() -> {
                Thread stopper = new Thread(process::stop);
                stoppers.add(stopper);
                stopper.start();
                await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                        .until(() -> stopper.getState() == Thread.State.BLOCKED);
            });
            ProcessInfo started = supervisor.start("racy");
            assertThat(stoppers).as("spawned").hasSize(1);
            assertThat(started.state()).isEqualTo(ProcessState.RUNNING);
            stoppers.get(0).join(10_000);
            process.stop().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * proc:stop of a process given up after a crash loop left it CRASH_LOOP, its alert raised and the
     * supervisor's health WARN, though the operator had taken it over. STOPPED now, the last error kept.
     */
    @Test
    void aStopByHandEndsTheCrashLoop() {
        supervisor.add(spec("crasher", Map.of("command", "sh", "args", "-c 'exit 3'", "backoffInitialMillis", 20L,
                "backoffMaxMillis", 100L, "maxRestarts", 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.process("crasher").state()
                == ProcessState.CRASH_LOOP);
        assertThat(supervisor.crashLoops()).extracting(ProcessInfo::name).containsExactly("crasher");

        ProcessInfo stopped = supervisor.stop("crasher");
        assertThat(stopped.state()).isEqualTo(ProcessState.STOPPED);
        assertThat(stopped.lastError()).startsWith("crash loop: ended with exit code 3");
        assertThat(supervisor.crashLoops()).isEmpty();
    }

    @Test
    void deactivationStopsEveryChildBeforeItReturns() {
        supervisor.add(spec("one", Map.of("command", "sleep", "args", "1000")));
        supervisor.add(spec("two", Map.of("command", "sh", "args", "-c 'sleep 1000; true'")));
        ProcessHandle one = ProcessHandle.of(TestSupervisors.startedPid(supervisor, "one")).orElseThrow();
        ProcessHandle two = ProcessHandle.of(TestSupervisors.startedPid(supervisor, "two")).orElseThrow();
        supervisor.remove("two"); // a removed configuration: stopping in the background

        supervisor.deactivate();
        deactivated = true;
        assertThat(one.isAlive()).isFalse();
        assertThat(two.isAlive()).isFalse();
    }

    /**
     * A process added once the supervisor stops (a configuration delivered late, a take-over of a name): no
     * stop would ever end it, as the stop has already removed every process. It was reserved and started,
     * and ran on unsupervised; it is refused now, saying why.
     */
    @Test
    void aProcessAddedOnceTheSupervisorStopsIsRefused() {
        supervisor.deactivate();
        deactivated = true;

        try {
            assertThatThrownBy(() -> supervisor.add(spec("late", Map.of("command", "sleep", "args", "1000"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'late'").hasMessageContaining("supervisor stops");
            assertThat(supervisor.processes()).isEmpty();
        } finally {
            // what the old code started: ended here, not left to sleep past the test
            supervisor.processes().stream().map(ProcessInfo::pid).map(ProcessHandle::of)
                    .flatMap(Optional::stream).forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void deactivationWaitsForTheStopTimeoutOfRemovedProcessesAndKillsThem() {
        // as when the container stops: the configurations go first (remove), then the supervisor
        supervisor.add(spec("stubborn", Map.of("command", "sh", "args", "-c \"trap '' TERM; sleep 1000\"",
                "stopTimeoutMillis", 2500L)));
        ProcessHandle root = ProcessHandle.of(TestSupervisors.startedPid(supervisor, "stubborn")).orElseThrow();
        List<ProcessHandle> tree = new ArrayList<>(List.of(root));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> root.descendants().count() >= 1);
            tree.addAll(root.descendants().toList());
            supervisor.remove("stubborn");

            supervisor.deactivate();
            deactivated = true;
            assertThat(root.isAlive()).isFalse();
            // its child got its SIGKILL with it, and is gone once the system has reaped it
            await().atMost(Duration.ofSeconds(2)).until(() -> tree.stream().noneMatch(RunningProcesses::running));
        } finally {
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void deactivationKillsADescendantThatIgnoresSigtermAfterItsProcessEnded() {
        // the command ends at SIGTERM, what it started does not: the container's stop must not leave it behind
        supervisor.add(spec("leaves", Map.of("command", "sh",
                "args", "-c \"(trap '' TERM; echo armed; exec sleep 1000) & exec sleep 1000\"", "stopTimeoutMillis", 500L)));
        ProcessHandle root = ProcessHandle.of(TestSupervisors.startedPid(supervisor, "leaves")).orElseThrow();
        List<ProcessHandle> tree = new ArrayList<>(List.of(root));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.log("leaves", 10).contains("armed"));
            tree.addAll(root.descendants().toList());
            assertThat(tree).hasSizeGreaterThanOrEqualTo(2);

            supervisor.deactivate();
            deactivated = true;
            await().atMost(Duration.ofSeconds(5)).until(() -> tree.stream().noneMatch(RunningProcesses::running));
        } finally {
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * The container was killed while the process ran, and the operator set enabled = false to keep it down:
     * only a start read its pid record, so the run left behind ran on for ever, unsupervised, holding its
     * port and files, while proc:list showed it STOPPED. It is ended when the process is added.
     */
    @Test
    void aDisabledProcessHasTheRunADeadParentLeftBehindEnded() throws Exception {
        Process leftover = new ProcessBuilder("sleep", "60").start();
        try {
            recordAsLeftOver("left", leftover);

            supervisor.add(spec("left", Map.of("command", "sleep", "args", "60", "enabled", false,
                    "stopTimeoutMillis", 1000L)));

            assertThat(supervisor.process("left").state()).isEqualTo(ProcessState.STOPPED);
            await().atMost(Duration.ofSeconds(5)).until(() -> !leftover.isAlive());
            assertThat(supervisor.start("left").state()).isIn(ProcessState.RUNNING, ProcessState.BACKOFF);
            await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.process("left").state() == ProcessState.RUNNING);
        } finally {
            leftover.destroyForcibly();
        }
    }

    /**
     * A disabled process has its pid record read as it is added, so that a run a parent that died left is ended:
     * on Config Admin's thread, so a record that cannot be read (a hung mount under the data folder; here a FIFO
     * no one writes) held up every other configuration of the container.
     */
    @Test
    void aHungReadOfADisabledProcesssPidRecordHoldsUpNoAddition() throws Exception {
        ChildLayout layout = ChildLayout.of(supervisor.data(), "idle");
        layout.prepareCommand();
        ManagedProcessTest.mkfifo(layout.pidRecord());
        ExecutorService configAdmin = Executors.newSingleThreadExecutor();
        try {
            Future<?> added = configAdmin.submit(() -> supervisor.add(spec("idle", Map.of("command", "sleep", "args",
                    "1000", "enabled", false))));
            added.get(2, TimeUnit.SECONDS);
        } finally {
            ManagedProcessTest.unblock(layout.pidRecord());
            configAdmin.shutdownNow();
        }
        assertThat(supervisor.process("idle").state()).isEqualTo(ProcessState.STOPPED);
    }

    /**
     * A stop waits for the stop timeout plus a margin: for a timeout near Long.MAX_VALUE (a spec that did not
     * come through parse's bounds) the sum overflowed, and proc:stop gave up at once ("has not ended within
     * ... ms"), as the supervisor's stop waited for no child before it dropped their SIGKILLs.
     */
    @Test
    void aStopWaitsForTheEndWhateverTheStopTimeout() {
        ProcessSpec parsed = spec("huge", Map.of("command", "sleep", "args", "30"));
        supervisor.add(new ProcessSpec(parsed.name(), parsed.type(), parsed.command(), parsed.args(),
                parsed.jvmOptions(), parsed.profile(), parsed.keepCache(), parsed.classDataSharing(),
                parsed.warmSpare(), parsed.etcSource(), parsed.deploySource(), parsed.directory(), parsed.rules(),
                Long.MAX_VALUE, parsed.readyTimeoutMillis(), true, parsed.logMaxBytes(), parsed.logMaxFiles(),
                parsed.agentSocket()));
        await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.process("huge").state() == ProcessState.RUNNING);

        assertThat(supervisor.stop("huge").state()).isEqualTo(ProcessState.STOPPED);
    }

    /**
     * A process whose configuration was deleted while the container was down is never added, so nothing read
     * its pid record: the run a parent that died left of it ran on for ever, unsupervised. Once the
     * configurations are in, the supervisor ends such runs; a configured process's own run is left alone.
     */
    @Test
    void theRunADeadParentLeftOfAProcessNoConfigurationNamesIsEnded() throws Exception {
        Process leftover = new ProcessBuilder("sleep", "60").start();
        try {
            recordAsLeftOver("gone", leftover);
            supervisor.add(spec("kept", Map.of("command", "sleep", "args", "60")));
            long kept = TestSupervisors.startedPid(supervisor, "kept");

            supervisor.endUnconfiguredLeftovers();

            await().atMost(Duration.ofSeconds(5)).until(() -> !leftover.isAlive());
            assertThat(supervisor.process("kept").state()).isEqualTo(ProcessState.RUNNING);
            assertThat(supervisor.process("kept").pid()).isEqualTo(kept);
        } finally {
            leftover.destroyForcibly();
        }
    }

    /**
     * The sweep coming after the supervisor's stop began signals nothing: the stop would not wait for what it
     * started, and the SIGKILLs it schedules would be dropped with the scheduler, a leftover that ignores SIGTERM
     * left running.
     */
    @Test
    void aSweepAfterTheStopBeganSignalsNothing() throws Exception {
        Process leftover = new ProcessBuilder("sleep", "60").start();
        try {
            recordAsLeftOver("gone", leftover);
            supervisor.deactivate();
            deactivated = true;

            supervisor.endUnconfiguredLeftovers();

            assertThat(leftover.waitFor(1, TimeUnit.SECONDS)).as("the leftover ended").isFalse();
        } finally {
            leftover.destroyForcibly();
        }
    }

    /**
     * A process removed and still stopping: its record names a run of this container, which its stop ends
     * after its own stop timeout, not the sweep with another.
     */
    @Test
    void theRunOfAProcessRemovedAndStillStoppingIsLeftToItsStop() throws Exception {
        Logger log = mock(Logger.class);
        supervisor.deactivate();
        supervisor = TestSupervisors.at(dir, log);
        supervisor.add(spec("slow", Map.of("command", "sh", "args", "-c \"trap 'echo TERM' TERM; echo armed;"
                + " while :; do sleep 0.1; done\"", "stopTimeoutMillis", 500L)));
        await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.log("slow", 10).contains("armed"));
        ProcessHandle run = ProcessHandle.of(TestSupervisors.startedPid(supervisor, "slow")).orElseThrow();
        try {
            supervisor.remove("slow");

            supervisor.endUnconfiguredLeftovers();

            await().atMost(Duration.ofSeconds(10)).until(() -> !run.isAlive());
            assertThat(mockingDetails(log).getInvocations())
                    .noneMatch(call -> String.valueOf(call.getArguments()[0]).contains("no configuration names"));
        } finally {
            run.destroyForcibly();
        }
    }

    /** Records {@code leftover} as the run of {@code name} a parent that died left behind (its pid record). */
    private void recordAsLeftOver(String name, Process leftover) throws Exception {
        ChildLayout layout = ChildLayout.of(supervisor.data(), name);
        layout.prepareCommand();
        PidRecord.write(layout.pidRecord(), leftover.toHandle());
    }
}
