package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.mockito.AdditionalMatchers.and;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.msf.settings.testing.ScrValues;
import io.msf.supervisor.api.ProcessInfo;
import io.msf.supervisor.api.ProcessState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;
import org.osgi.service.log.Logger;

class ConfiguredProcessTest {

    private static final Map<String, Object> PID = Map.of(Constants.SERVICE_PID, "msf.process~web");

    @TempDir
    Path dir;

    private final Logger log = mock(Logger.class);
    private ProcessSupervisor supervisor;

    @BeforeEach
    void setUp() throws IOException {
        supervisor = TestSupervisors.at(dir);
    }

    @AfterEach
    void tearDown() {
        supervisor.deactivate();
    }

    private ConfiguredProcess configure(Map<String, Object> values) {
        return new ConfiguredProcess(TestConfigs.process(values), PID, supervisor, log);
    }

    @Test
    void theNameComesFromThePidAndTheProcessStarts() {
        configure(Map.of("command", "sleep", "args", "1000"));
        TestSupervisors.startedPid(supervisor, "web");
        assertThat(supervisor.processes()).extracting(ProcessInfo::name, ProcessInfo::state)
                .containsExactly(tuple("web", ProcessState.RUNNING));
    }

    @Test
    void aBadConfigurationStartsNothingAndSaysWhy() {
        configure(Map.of("command", ""));
        assertThat(supervisor.processes()).isEmpty();
        verify(log).error(eq("{}: {}; {}"), eq("msf.process~web"), startsWith("command: "),
                eq("the process is not started"));
    }

    /**
     * A program that is not there (which the gate cannot know when it applies the file): the refusal
     * named the PID and key, not the file to fix. It names the file and the key's line, as the gate does.
     */
    @Test
    void aRefusalOfAConfigurationFromAFileNamesTheFileAndTheLine() throws IOException {
        Path file = java.nio.file.Files.write(java.nio.file.Files.createDirectories(dir.resolve("etc"))
                .resolve("msf.process~web.cfg"), java.util.List.of("# the web server", "command = no-such-program-here"));

        new ConfiguredProcess(TestConfigs.process(Map.of("command", "no-such-program-here")), Map.of(
                Constants.SERVICE_PID, "msf.process~web", ConfigFileLine.FILE_PROPERTY, file.toUri().toString()),
                supervisor, log);

        assertThat(supervisor.processes()).isEmpty();
        verify(log).error(eq("{}: {}; {}"), eq("etc/msf.process~web.cfg:2: msf.process~web"),
                startsWith("command: 'no-such-program-here' is not an executable file"),
                eq("the process is not started"));
    }

    /**
     * The supervisor found a key's line with a pattern of its own, not the gate's reader: a line inside a
     * value going on over '\'-ended lines that starts with the key's name was taken for the key. Both
     * now read the file as FileInstall does (msf-files' KeyLines).
     */
    @Test
    void theLineOfAKeyIsTheOneFileInstallReadsNotALineOfAnotherValue() throws IOException {
        Path file = java.nio.file.Files.write(java.nio.file.Files.createDirectories(dir.resolve("etc"))
                .resolve("msf.process~web.cfg"), java.util.List.of("args = --mode \\", "    command", "# command = sleep",
                        "command = no-such-program-here"));

        new ConfiguredProcess(TestConfigs.process(Map.of("command", "no-such-program-here")), Map.of(
                Constants.SERVICE_PID, "msf.process~web", ConfigFileLine.FILE_PROPERTY, file.toUri().toString()),
                supervisor, log);

        verify(log).error(eq("{}: {}; {}"), eq("etc/msf.process~web.cfg:4: msf.process~web"),
                startsWith("command: 'no-such-program-here' is not an executable file"),
                eq("the process is not started"));
    }

    /**
     * The process file replaced by one larger than a configuration file may be since the gate applied it: the
     * refusal names the file without a line instead of reading it whole (a file of tens of megabytes read
     * whole ran the container out of heap in the gate, which bounds what it reads the same way).
     */
    @Test
    void aRefusalNamesAFileLargerThanAConfigurationFileMayBeWithoutReadingItForTheLine() throws IOException {
        Path file = java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(dir.resolve("etc"))
                .resolve("msf.process~web.cfg"), "command = no-such-program-here\n"
                        + "#".repeat(io.msf.files.properties.ConfigFileBytes.MAX_BYTES) + "\n");

        new ConfiguredProcess(TestConfigs.process(Map.of("command", "no-such-program-here")), Map.of(
                Constants.SERVICE_PID, "msf.process~web", ConfigFileLine.FILE_PROPERTY, file.toUri().toString()),
                supervisor, log);

        assertThat(supervisor.processes()).isEmpty();
        verify(log).error(eq("{}: {}; {}"), eq("etc/msf.process~web.cfg: msf.process~web"),
                startsWith("command: 'no-such-program-here' is not an executable file"),
                eq("the process is not started"));
    }

    /** Two keys at odds, set past the gate: the line of the later one the file sets, the text naming both. */
    @Test
    void aRefusalOfTwoKeysAtOddsNamesTheLineOfTheLaterOne() throws IOException {
        Path file = java.nio.file.Files.write(java.nio.file.Files.createDirectories(dir.resolve("etc"))
                .resolve("msf.process~web.cfg"), java.util.List.of("command = sleep", "backoffMaxMillis = 100",
                        "backoffInitialMillis = 5000"));

        new ConfiguredProcess(TestConfigs.process(Map.of("command", "sleep", "backoffInitialMillis", 5000L,
                "backoffMaxMillis", 100L)), Map.of(Constants.SERVICE_PID, "msf.process~web",
                ConfigFileLine.FILE_PROPERTY, file.toUri().toString()), supervisor, log);

        assertThat(supervisor.processes()).isEmpty();
        verify(log).error(eq("{}: {}; {}"), eq("etc/msf.process~web.cfg:2: msf.process~web"),
                startsWith("keys 'backoffInitialMillis' (5000) and 'backoffMaxMillis' (100)"),
                eq("the process is not started"));
    }

    /** SCR's ComponentException for a value it cannot convert named no key, and escaped from the component. */
    @Test
    void aValueThatCannotBeReadIsRefusedNamingTheKey() {
        ConfiguredProcess configured = configure(Map.of("command", "sleep", "args", "1000"));
        long pid = TestSupervisors.startedPid(supervisor, "web");

        configured.modified(ScrValues.unconvertible(ProcessConfiguration.class,
                TestConfigs.process(Map.of("command", "sleep", "args", "1000")), "maxRestarts", "often"), PID);

        assertThat(supervisor.process("web").pid()).isEqualTo(pid);
        verify(log).error(eq("{}: {}; {}"), eq("msf.process~web"),
                contains("maxRestarts: the value cannot be read as a number"),
                eq("process 'web' keeps its last good configuration"));
    }

    @Test
    void aBadChangeKeepsTheLastGoodConfiguration() {
        ConfiguredProcess configured = configure(Map.of("command", "sleep", "args", "1000"));
        long pid = TestSupervisors.startedPid(supervisor, "web");
        configured.modified(TestConfigs.process(Map.of("command", "sleep", "restart", "sometimes")), PID);
        assertThat(supervisor.process("web").pid()).isEqualTo(pid);
        verify(log).error(eq("{}: {}; {}"), eq("msf.process~web"), startsWith("restart: "), anyString());
    }

    @Test
    void aChangeToAProgramThatIsNotThereKeepsTheRunningProcess() {
        ConfiguredProcess configured = configure(Map.of("command", "sleep", "args", "1000"));
        long pid = TestSupervisors.startedPid(supervisor, "web");
        configured.modified(TestConfigs.process(Map.of("command", "no-such-program-here", "args", "1000")), PID);
        configured.modified(TestConfigs.process(Map.of("command", dir.resolve("bin/sleep").toString(), "args", "1000")), PID);

        assertThat(supervisor.process("web").pid()).isEqualTo(pid);
        assertThat(supervisor.process("web").state()).isEqualTo(ProcessState.RUNNING);
        verify(log).error(eq("{}: {}; {}"), eq("msf.process~web"),
                and(startsWith("command: "), contains("'no-such-program-here'")),
                eq("process 'web' keeps its last good configuration"));
        verify(log).error(eq("{}: {}; {}"), eq("msf.process~web"),
                and(startsWith("command: "), contains(dir.resolve("bin/sleep").toString())),
                eq("process 'web' keeps its last good configuration"));
    }

    @Test
    void aChangeToAWorkingFolderThatIsNotThereKeepsTheRunningProcess() {
        ConfiguredProcess configured = configure(Map.of("command", "sleep", "args", "1000"));
        long pid = TestSupervisors.startedPid(supervisor, "web");
        configured.modified(TestConfigs.process(Map.of("command", "sleep", "args", "1000", "directory", "no/such")), PID);

        assertThat(supervisor.process("web").pid()).isEqualTo(pid);
        assertThat(supervisor.process("web").state()).isEqualTo(ProcessState.RUNNING);
        verify(log).error(eq("{}: {}; {}"), eq("msf.process~web"),
                and(startsWith("directory: "), contains(dir.resolve("no/such").toString())),
                eq("process 'web' keeps its last good configuration"));
    }

    @Test
    void aChildContainerWithoutItsDeploySourceIsNotStarted() {
        configure(Map.of("type", "container", "deploySource", "services/missing"));
        assertThat(supervisor.processes()).isEmpty();
        verify(log).error(eq("{}: {}; {}"), eq("msf.process~web"),
                and(startsWith("deploySource: "), contains(dir.resolve("services/missing").toString())),
                eq("the process is not started"));
    }

    @Test
    void deletingTheConfigurationRemovesTheProcess() {
        ConfiguredProcess configured = configure(Map.of("command", "sleep", "args", "1000"));
        ProcessHandle child = ProcessHandle.of(TestSupervisors.startedPid(supervisor, "web")).orElseThrow();
        configured.deactivate();
        assertThat(supervisor.processes()).isEmpty();
        child.onExit().join();
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void aNewNameReplacesTheProcess() {
        ConfiguredProcess configured = configure(Map.of("command", "sleep", "args", "1000"));
        configured.modified(TestConfigs.process(Map.of("command", "sleep", "args", "1000", "name", "web2")), PID);
        assertThat(supervisor.processes()).extracting(ProcessInfo::name).containsExactly("web2");
    }

    /**
     * The new name's process started at once while the old one was still stopping, up to its stop
     * timeout: two copies of a program on one port, or two child containers exporting the same agent names.
     */
    @Test
    void aNewNameStartsItsProcessOnlyOnceTheOldOneHasEnded() throws InterruptedException {
        ConfiguredProcess configured = configure(Map.of("command", "sh", "args", "-c \"trap '' TERM; sleep 1000\"",
                "stopTimeoutMillis", 1500L));
        ProcessHandle old = ProcessHandle.of(TestSupervisors.startedPid(supervisor, "web")).orElseThrow();

        configured.modified(TestConfigs.process(Map.of("command", "sleep", "args", "1000", "name", "web2")), PID);

        // the old one ignores SIGTERM: it runs on until its SIGKILL, 1.5 s later
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            long newPid = TestSupervisors.startedPid(supervisor, "web2"); // read first: a pid, then the old one alive, is overlap
            boolean oldRuns = RunningProcesses.running(old);
            assertThat(newPid).as("web2 runs while web still does").isEqualTo(oldRuns ? -1 : newPid);
            if (!oldRuns) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(RunningProcesses.running(old)).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.process("web2").state() == ProcessState.RUNNING);
        assertThat(supervisor.processes()).extracting(ProcessInfo::name).containsExactly("web2");
    }

    @Test
    void aConfigurationRefusedForItsNameTakesOverOnceTheOtherGoes() {
        // etc/msf.process~a.cfg renamed to msf.process~b.cfg, both name = worker: the new one may come first
        ConfiguredProcess a = new ConfiguredProcess(TestConfigs.process(Map.of("name", "worker", "command", "sleep",
                "args", "1000")), Map.of(Constants.SERVICE_PID, "msf.process~a"), supervisor, log);
        long old = TestSupervisors.startedPid(supervisor, "worker");
        new ConfiguredProcess(TestConfigs.process(Map.of("name", "worker", "command", "sleep", "args", "995")),
                Map.of(Constants.SERVICE_PID, "msf.process~b"), supervisor, log);
        assertThat(supervisor.process("worker").pid()).isEqualTo(old);

        a.deactivate();
        await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.processes().size() == 1
                && supervisor.process("worker").state() == ProcessState.RUNNING);
        long pid = TestSupervisors.startedPid(supervisor, "worker");
        assertThat(pid).isNotEqualTo(old);
        assertThat(RunningProcesses.programArguments(pid)).containsExactly("995");
        assertThat(ProcessHandle.of(old).filter(ProcessHandle::isAlive)).isEmpty();
        // meanwhile the refusal named the configuration holding the name, and that it waits for it
        verify(log).error(eq("{}: {}; {}"), eq("msf.process~b"), contains("'worker'"), and(contains("msf.process~a"), contains("takes over")));
    }

    @Test
    void aWaitingConfigurationThatGoesFirstTakesNothingOver() throws Exception {
        ConfiguredProcess a = new ConfiguredProcess(TestConfigs.process(Map.of("name", "worker", "command", "sleep",
                "args", "1000")), Map.of(Constants.SERVICE_PID, "msf.process~a"), supervisor, log);
        ConfiguredProcess b = new ConfiguredProcess(TestConfigs.process(Map.of("name", "worker", "command", "sleep",
                "args", "995")), Map.of(Constants.SERVICE_PID, "msf.process~b"), supervisor, log);
        long old = TestSupervisors.startedPid(supervisor, "worker");
        b.deactivate();
        a.deactivate();
        // the hand-over comes once a's process has ended: wait for that end (slow on a loaded machine),
        // then give a wrong take-over time to show
        ProcessHandle ended = ProcessHandle.of(old).orElse(null);
        if (ended != null) {
            ended.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        Thread.sleep(500);
        assertThat(supervisor.processes()).isEmpty();
    }

    @Test
    void aRenameToANameInUseKeepsTheProcessUntilTheNameIsFree() {
        ConfiguredProcess a = new ConfiguredProcess(TestConfigs.process(Map.of("name", "worker", "command", "sleep",
                "args", "1000")), Map.of(Constants.SERVICE_PID, "msf.process~a"), supervisor, log);
        ConfiguredProcess c = new ConfiguredProcess(TestConfigs.process(Map.of("name", "other", "command", "sleep",
                "args", "1000")), Map.of(Constants.SERVICE_PID, "msf.process~c"), supervisor, log);
        c.modified(TestConfigs.process(Map.of("name", "worker", "command", "sleep", "args", "994")), Map.of(Constants.SERVICE_PID, "msf.process~c"));
        assertThat(supervisor.processes()).extracting(ProcessInfo::name).containsExactly("other", "worker");

        a.deactivate();
        await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.processes().size() == 1
                && supervisor.processes().get(0).name().equals("worker")
                && supervisor.process("worker").state() == ProcessState.RUNNING);
        assertThat(RunningProcesses.programArguments(supervisor.process("worker").pid()))
                .containsExactly("994");
        c.deactivate();
    }

    /**
     * A configuration the supervisor refused (a program that is not there, which the gate cannot know):
     * proc:start of its name said "none is configured (a file etc/msf.process~web.cfg would make one ...)"
     * with that very file there, and config:rejected, which it pointed to, does not list it. The commands
     * now say that its configuration is refused, and why, until it is fixed or deleted.
     */
    @Test
    void aProcessCommandNamingARefusedConfigurationSaysWhyItWasRefused() {
        ConfiguredProcess configured = configure(Map.of("command", "no-such-program-here"));

        assertThatThrownBy(() -> supervisor.start("web")).isInstanceOf(NoSuchElementException.class)
                .hasMessageStartingWith("no process named 'web': its configuration is refused: msf.process~web: command:"
                        + " 'no-such-program-here' is not an executable file")
                .hasMessageEndingWith("; fixed, it adds the process (log:tail has the refusal)");
        assertThatThrownBy(() -> supervisor.log("web", 10)).hasMessageContaining("is refused: msf.process~web: command:");

        configured.modified(TestConfigs.process(Map.of("command", "sleep", "args", "1000")), PID);
        TestSupervisors.startedPid(supervisor, "web");
        assertThat(supervisor.process("web").state()).isEqualTo(ProcessState.RUNNING);
    }

    /** A refused configuration deleted is forgotten: its name is no process again, plainly. */
    @Test
    void aRefusedConfigurationDeletedIsForgotten() {
        configure(Map.of("command", "no-such-program-here")).deactivate();

        assertThatThrownBy(() -> supervisor.stop("web")).hasMessageStartingWith("no process named 'web': none is configured");
    }

    /** The name a refused configuration gives with its key name is the one the commands know it by. */
    @Test
    void aRefusedConfigurationIsKnownByTheNameItGives() {
        configure(Map.of("name", "site", "command", "no-such-program-here"));

        assertThatThrownBy(() -> supervisor.start("site")).hasMessageStartingWith(
                "no process named 'site': its configuration is refused: msf.process~web: command:");
    }
}
