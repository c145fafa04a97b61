package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.supervisor.api.ProcessInfo;
import io.msf.supervisor.api.ProcessState;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.log.Logger;

class ConfiguredProcessTest {

    private static final Map<String, Object> PID = Map.of(Constants.SERVICE_PID, "msf.process~web");

    @TempDir
    Path dir;

    private final Logger log = mock(Logger.class);
    private ProcessSupervisor supervisor;

    @BeforeEach
    void setUp() {
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty("msf.home")).thenReturn(dir.toString());
        when(context.getProperty("msf.data")).thenReturn(dir.resolve("data").toString());
        supervisor = new ProcessSupervisor(context, mock(Logger.class));
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
        assertThat(supervisor.processes()).extracting(ProcessInfo::name, ProcessInfo::state)
                .containsExactly(tuple("web", ProcessState.RUNNING));
    }

    @Test
    void aBadConfigurationStartsNothingAndSaysWhy() {
        configure(Map.of("command", ""));
        assertThat(supervisor.processes()).isEmpty();
        verify(log).error(eq("{}: {}; {}"), eq("msf.process~web"), contains("key 'command'"),
                eq("the process is not started"));
    }

    @Test
    void aBadChangeKeepsTheLastGoodConfiguration() {
        ConfiguredProcess configured = configure(Map.of("command", "sleep", "args", "1000"));
        long pid = supervisor.process("web").pid();
        configured.modified(TestConfigs.process(Map.of("command", "sleep", "restart", "sometimes")));
        assertThat(supervisor.process("web").pid()).isEqualTo(pid);
        verify(log).error(eq("{}: {}; {}"), eq("msf.process~web"), contains("key 'restart'"), anyString());
    }

    @Test
    void deletingTheConfigurationRemovesTheProcess() {
        ConfiguredProcess configured = configure(Map.of("command", "sleep", "args", "1000"));
        ProcessHandle child = ProcessHandle.of(supervisor.process("web").pid()).orElseThrow();
        configured.deactivate();
        assertThat(supervisor.processes()).isEmpty();
        child.onExit().join();
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void aNewNameReplacesTheProcess() {
        ConfiguredProcess configured = configure(Map.of("command", "sleep", "args", "1000"));
        configured.modified(TestConfigs.process(Map.of("command", "sleep", "args", "1000", "name", "web2")));
        assertThat(supervisor.processes()).extracting(ProcessInfo::name).containsExactly("web2");
    }
}
