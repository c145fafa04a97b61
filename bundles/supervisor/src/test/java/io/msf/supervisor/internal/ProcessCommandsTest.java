package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.supervisor.api.ProcessInfo;
import io.msf.supervisor.api.ProcessState;
import io.msf.supervisor.api.ProcessType;
import io.msf.supervisor.api.Supervisor;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;

class ProcessCommandsTest {

    private static final ProcessInfo CHILD = new ProcessInfo("child", ProcessType.CONTAINER, ProcessState.RUNNING, 4242,
            83_000, 2, 137, 90L * 1024 * 1024, 4_200, 12L * 1024 * 1024, "", 4343);
    private static final ProcessInfo CRASHER = new ProcessInfo("crasher", ProcessType.COMMAND, ProcessState.CRASH_LOOP,
            -1, 0, 5, 3, -1, -1, -1, "crash loop: ended with exit code 3\nafter 5 restarts");

    /** A supervisor that answers from fixed figures and records what it was asked. */
    private static final class FixedSupervisor implements Supervisor {
        final List<ProcessInfo> processes = new ArrayList<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public List<ProcessInfo> processes() {
            return processes;
        }

        @Override
        public ProcessInfo process(String name) {
            return processes.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }

        @Override
        public ProcessInfo start(String name) {
            calls.add("start " + name);
            return process(name);
        }

        @Override
        public ProcessInfo stop(String name) {
            calls.add("stop " + name);
            return process(name);
        }

        @Override
        public ProcessInfo restart(String name) {
            calls.add("restart " + name);
            return process(name);
        }

        @Override
        public List<String> log(String name, int lines) {
            calls.add("log " + name + " " + lines);
            return List.of("one", "two");
        }
    }

    private final FixedSupervisor supervisor = new FixedSupervisor();
    private final ProcessCommands commands = new ProcessCommands(supervisor);

    @Test
    void listShowsEveryProcessWithItsFigures() {
        supervisor.processes.addAll(List.of(CHILD, CRASHER));
        String[] lines = commands.list().split("\n");
        assertThat(lines[0]).startsWith("NAME").contains("STATE", "PID", "UPTIME", "RESTARTS", "RSS", "CPU", "HEAP",
                "SPARE");
        assertThat(lines[2]).startsWith("child").contains("container", "RUNNING", "4242", "1m 23s", "137 SIGKILL",
                "90.0 MiB", "4.2 s", "12.0 MiB", "4343");
        // unknown figures are dashes, and a message stays on its line
        assertThat(lines[3]).startsWith("crasher").contains("CRASH_LOOP", " - ", "crash loop: ended with exit code 3 after");
        assertThat(lines).hasSize(4);
    }

    @Test
    void listSaysHowToConfigureWhenThereIsNothing() {
        assertThat(commands.list()).contains("msf.process~<name>.cfg");
    }

    @Test
    void controlsDelegateAndSayTheOutcome() {
        supervisor.processes.add(CHILD);
        assertThat(commands.stop("child")).isEqualTo("child: RUNNING (pid 4242)\n");
        commands.start("child");
        commands.restart("child");
        assertThat(commands.log(2, "child")).isEqualTo("one\ntwo\n");
        assertThat(supervisor.calls).containsExactly("stop child", "start child", "restart child", "log child 2");
    }

    @Test
    void logRefusesABadLineCount() {
        assertThatThrownBy(() -> commands.log(0, "child")).hasMessageContaining("-n must be between 1 and");
    }

    /** Gogo cuts a number too large for an int parameter to its low 32 bits: 4294967298 was taken as 2. */
    @Test
    void logRefusesALineCountBeyondAnIntRatherThanTakingItsLow32Bits() throws Exception {
        supervisor.processes.add(CHILD);
        ThreadIOImpl threadIO = new ThreadIOImpl();
        threadIO.start();
        CommandProcessorImpl gogo = new CommandProcessorImpl(threadIO);
        try (CommandSession session = gogo.createSession(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream())) {
            gogo.addCommand("proc", commands, "log");
            assertThatThrownBy(() -> session.execute("proc:log -n 4294967298 child"))
                    .hasMessage("-n must be between 1 and 10000, not 4294967298");
        } finally {
            gogo.stop();
            threadIO.stop();
        }
        assertThat(supervisor.calls).isEmpty();
    }

    @Test
    void exitCodesOfSignalsNameTheSignal() {
        assertThat(ExitCodes.describe(0)).isEqualTo("exit code 0");
        assertThat(ExitCodes.describe(3)).isEqualTo("exit code 3");
        assertThat(ExitCodes.describe(128)).isEqualTo("exit code 128");
        assertThat(ExitCodes.describe(130)).isEqualTo("exit code 130 (SIGINT)");
        assertThat(ExitCodes.describe(134)).isEqualTo("exit code 134 (SIGABRT)");
        assertThat(ExitCodes.describe(137)).isEqualTo("exit code 137 (SIGKILL)");
        assertThat(ExitCodes.describe(139)).isEqualTo("exit code 139 (SIGSEGV)");
        assertThat(ExitCodes.describe(143)).isEqualTo("exit code 143 (SIGTERM)");
        // numbered differently on Linux and macOS, so given by number
        assertThat(ExitCodes.describe(138)).isEqualTo("exit code 138 (signal 10)");
        assertThat(ExitCodes.describe(255)).isEqualTo("exit code 255");
        assertThat(ExitCodes.cell(143)).isEqualTo("143 SIGTERM");
        assertThat(ExitCodes.cell(1)).isEqualTo("1");
    }

    @Test
    void anUnknownSizeReadsAsADash() {
        assertThat(ProcessCommands.bytesOrDash(-1)).isEqualTo("-");
        assertThat(ProcessCommands.bytesOrDash(0)).isEqualTo("0 B");
        assertThat(ProcessCommands.bytesOrDash(1536)).isEqualTo("1.5 KiB");
    }
}
