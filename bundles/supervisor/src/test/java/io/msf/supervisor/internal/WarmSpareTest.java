package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.RETURNS_DEFAULTS;
import static org.mockito.Mockito.mock;

import io.msf.supervisor.api.ProcessState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The supervisor's side of warm spares, with real processes: a shell script stands in for the
 * child container's launcher, answering its command line as io.msf.launcher.Main does (a spare
 * waits for the line {@code start} on stdin; a run writes {@code ready=true} into its status file)
 * and recording every step in a journal.
 */
class WarmSpareTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private ScheduledExecutorService scheduler;
    private ExecutorService spawning;
    private ManagedProcess process;
    private Path journal;
    private Path launcher;

    @BeforeEach
    void setUp() throws IOException {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        spawning = Executors.newCachedThreadPool();
        journal = dir.resolve("journal");
        launcher = FakeJava.write(dir.resolve("fake-java"),
                "if [ $role = spare ]; then",
                "  echo \"$$ spare\" >> '" + journal + "'",
                // still booting when a quick kill promotes it: the line waits in the pipe
                "  sleep 0.3",
                "  read line || exit 0",
                "  [ \"$line\" = start ] || exit 2",
                "  echo \"$$ promoted\" >> '" + journal + "'",
                "  echo \"promoted pid $$\"", // at once, into its output
                "fi",
                // journal first: the supervisor takes the status file for the run being up, and the tests
                // then read the journal
                "echo \"$$ ready\" >> '" + journal + "'",
                FakeJava.READY,
                "exec sleep 1000");
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

    private ManagedProcess start(Map<String, Object> settings) {
        return start(settings, mock(Logger.class));
    }

    private ManagedProcess start(Map<String, Object> settings, Logger log) {
        Map<String, Object> values = new HashMap<>(settings);
        values.put("type", "container");
        values.put("command", launcher.toString());
        values.putIfAbsent("warmSpare", true);
        values.put("classDataSharing", false);
        values.put("stopTimeoutMillis", 2000L);
        ProcessSpec spec = ProcessSpec.parse("kid", TestConfigs.process(values), dir, dir.resolve("data"),
                Path.of("java"));
        ProcessEnvironment env = new ProcessEnvironment(new ChildSpawner(dir, dir.resolve("data"), mock(Logger.class)),
                scheduler, spawning, ProcessEnvironment::monotonicMillis, new RecordedAlerts(),
                log);
        process = new ManagedProcess(spec, env);
        process.start();
        return process;
    }

    private List<String> journal() throws IOException {
        return Files.exists(journal) ? Files.readAllLines(journal) : List.of();
    }

    /** The pid of the spare waiting now, once one is booted and waiting. */
    private long awaitSpare(long... notThese) {
        return await().atMost(LONG).until(() -> spares().filter(pid -> !contains(notThese, pid)), Optional::isPresent)
                .orElseThrow();
    }

    private Optional<Long> spares() throws IOException {
        List<String> lines = journal();
        return lines.stream().filter(line -> line.endsWith(" spare"))
                .map(line -> Long.parseLong(line.substring(0, line.indexOf(' '))))
                .filter(pid -> !lines.contains(pid + " promoted"))
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .reduce((first, last) -> last);
    }

    private static boolean contains(long[] pids, long pid) {
        for (long each : pids) {
            if (each == pid) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aKilledChildIsReplacedByItsSpareAndTheNewRunGetsASpareOfItsOwn() throws Exception {
        ManagedProcess kid = start(Map.of("restart", "always"));
        long first = kid.info().pid();
        long spare = awaitSpare();
        assertThat(spare).isNotEqualTo(first);
        assertThat(kid.info().state()).isEqualTo(ProcessState.RUNNING);
        assertThat(kid.info().sparePid()).isEqualTo(spare);

        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // kill -9
        await().atMost(LONG).until(kid::info, info -> info.pid() == spare && info.state() == ProcessState.RUNNING);
        assertThat(journal()).contains(spare + " promoted", spare + " ready");
        assertThat(kid.info().restarts()).isEqualTo(1);
        assertThat(kid.log(50)).anyMatch(line -> line.contains("warm spare pid " + spare + " takes over"));
        assertThat(Files.readString(ChildLayout.of(dir.resolve("data"), "kid").pidRecord())).startsWith(spare + " ");

        long next = awaitSpare(spare);
        assertThat(next).isNotIn(first, spare);
        await().atMost(LONG).until(() -> kid.info().sparePid() == next);
    }

    @Test
    void whatAPromotedSparePrintsAtOnceFollowsItsTakeOverLineInTheProcessLog() throws Exception {
        // The supervisor's logger is slow to take the 'takes over' line, while the spare prints as soon as it is told.
        Logger slowToLogATakeOver = mock(Logger.class, invocation -> {
            if (invocation.getMethod().getName().equals("info") && invocation.getArguments().length > 0
                    && invocation.getArguments()[0] instanceof String format && format.contains("takes over")) {
                Thread.sleep(300);
            }
            return RETURNS_DEFAULTS.answer(invocation);
        });
        ManagedProcess kid = start(Map.of("restart", "always"), slowToLogATakeOver);
        long first = kid.info().pid();
        long spare = awaitSpare();

        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        String takesOver = "warm spare pid " + spare + " takes over";
        String printed = "promoted pid " + spare;
        await().atMost(LONG).until(() -> kid.log(50).contains(printed)
                && kid.log(50).stream().anyMatch(line -> line.contains(takesOver)));

        List<String> lines = kid.log(50);
        int takeOverLine = lines.indexOf(lines.stream().filter(line -> line.contains(takesOver)).findFirst()
                .orElseThrow());
        assertThat(lines.indexOf(printed)).as("in %s", lines).isGreaterThan(takeOverLine);
    }

    @Test
    void aSpareThatDiedIsNotPromotedTheRestartBootsANewRun() throws Exception {
        ManagedProcess kid = start(Map.of("restart", "always"));
        long first = kid.info().pid();
        long spare = awaitSpare();
        ProcessHandle.of(spare).orElseThrow().destroyForcibly();
        await().atMost(LONG).until(() -> kid.log(50).stream()
                .anyMatch(line -> line.contains("warm spare pid " + spare + " ended")));
        assertThat(kid.info().sparePid()).isEqualTo(-1);

        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await().atMost(LONG).until(kid::info, info -> info.pid() > 0 && info.pid() != first
                && info.state() == ProcessState.RUNNING); // one look (ChildContainerGroupTest.awaitNextRun)
        long second = kid.info().pid();
        assertThat(second).isNotEqualTo(spare);
        assertThat(journal()).contains(second + " ready").doesNotContain(spare + " promoted");
    }

    @Test
    void stoppingTheChildEndsItsSpare() throws Exception {
        ManagedProcess kid = start(Map.of("restart", "always"));
        long first = kid.info().pid();
        long spare = awaitSpare();

        kid.stop().get(10, TimeUnit.SECONDS);
        assertThat(ProcessHandle.of(first).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.of(spare).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(kid.info().state()).isEqualTo(ProcessState.STOPPED);
    }

    @Test
    void aChildThatStaysDownTakesItsSpareWithIt() throws Exception {
        ManagedProcess kid = start(Map.of("restart", "never"));
        long first = kid.info().pid();
        long spare = awaitSpare();

        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await().atMost(LONG).until(() -> kid.info().state() == ProcessState.EXITED);
        await().atMost(LONG).until(() -> ProcessHandle.of(spare).filter(ProcessHandle::isAlive).isEmpty());
        assertThat(journal()).doesNotContain(spare + " promoted");
    }

    @Test
    void withoutWarmSpareARestartStartsANewJvm() throws Exception {
        ManagedProcess kid = start(Map.of("warmSpare", false, "restart", "always"));
        await().atMost(LONG).until(() -> kid.info().state() == ProcessState.RUNNING);
        long first = kid.info().pid();

        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await().atMost(LONG).until(kid::info, info -> info.pid() > 0 && info.pid() != first
                && info.state() == ProcessState.RUNNING); // one look (ChildContainerGroupTest.awaitNextRun)
        assertThat(journal()).contains(first + " ready", kid.info().pid() + " ready")
                .noneMatch(line -> line.endsWith(" spare") || line.endsWith(" promoted"));
        assertThat(kid.info().sparePid()).isEqualTo(-1);
    }

    @Test
    void aSpareBootedFromAnAssemblyThatChangedSinceIsEndedNotPromoted() throws Exception {
        ManagedProcess kid = start(Map.of("restart", "always"));
        long first = kid.info().pid();
        long spare = awaitSpare();
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/upgraded.jar"), "new launcher");

        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await().atMost(LONG).until(kid::info, info -> info.pid() > 0 && info.pid() != first
                && info.state() == ProcessState.RUNNING); // one look (ChildContainerGroupTest.awaitNextRun)
        assertThat(kid.info().pid()).isNotEqualTo(spare);
        await().atMost(LONG).until(() -> ProcessHandle.of(spare).filter(ProcessHandle::isAlive).isEmpty());
        assertThat(journal()).doesNotContain(spare + " promoted");
        assertThat(kid.log(50))
                .anyMatch(line -> line.contains("warm spare pid " + spare + " runs an assembly changed"));
    }

    @Test
    void aNewConfigurationEndsTheSpareOfTheOldOne() throws Exception {
        ManagedProcess kid = start(Map.of("restart", "always"));
        long spare = awaitSpare();
        ProcessSpec next = ProcessSpec.parse("kid", TestConfigs.process(Map.of("type", "container", "command",
                launcher.toString(), "warmSpare", false, "classDataSharing", false, "stopTimeoutMillis", 2000L)),
                dir, dir.resolve("data"), Path.of("java"));
        kid.reconfigure(next).get(20, TimeUnit.SECONDS);

        assertThat(ProcessHandle.of(spare).filter(ProcessHandle::isAlive)).isEmpty();
        await().atMost(LONG).until(() -> kid.info().state() == ProcessState.RUNNING);
        assertThat(kid.info().sparePid()).isEqualTo(-1);
    }
}
