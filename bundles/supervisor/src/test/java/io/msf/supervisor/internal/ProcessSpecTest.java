package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.supervisor.api.ProcessType;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessSpecTest {

    private static final Path HOME = Path.of("/opt/msf");
    private static final Path DATA = Path.of("/opt/msf/data");
    private static final Path JAVA = Path.of("/jdk/bin/java");

    private static ProcessSpec parse(Map<String, Object> values) {
        return ProcessSpec.parse("worker", TestConfigs.process(values), HOME, DATA, JAVA);
    }

    @Test
    void aCommandWithTheDefaults() {
        ProcessSpec spec = parse(Map.of("command", "sh", "args", "-c 'exit 3'"));
        assertThat(spec.name()).isEqualTo("worker");
        assertThat(spec.type()).isEqualTo(ProcessType.COMMAND);
        assertThat(spec.args()).containsExactly("-c", "exit 3");
        assertThat(spec.rules()).isEqualTo(new RestartRules(RestartPolicy.ON_FAILURE, 200, 30_000, 5, 60_000));
        assertThat(spec.stopTimeoutMillis()).isEqualTo(10_000);
        assertThat(spec.enabled()).isTrue();
        assertThat(spec.directory()).isNull();
        assertThat(spec.agentSocket()).isEqualTo(DATA.resolve("agent.sock"));
    }

    @Test
    void aContainerRunsThisJavaWithItsSourcesUnderHome() {
        ProcessSpec spec = parse(Map.of("type", "container", "etcSource", "etc/children/worker", "deploySource",
                "services", "name", "w-1"));
        assertThat(spec.name()).isEqualTo("w-1");
        assertThat(spec.command()).isEqualTo(JAVA.toString());
        assertThat(spec.etcSource()).isEqualTo(HOME.resolve("etc/children/worker"));
        assertThat(spec.deploySource()).isEqualTo(HOME.resolve("services"));
        assertThat(spec.jvmOptions()).contains("-XX:+UseSerialGC");
    }

    @Test
    void aCommandWithoutProgramIsRefused() {
        assertThatThrownBy(() -> parse(Map.of())).hasMessageStartingWith("command: ");
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> parse(Map.of("command", "x", "name", "../etc"))).hasMessageStartingWith("name: ");
        assertThatThrownBy(() -> parse(Map.of("command", "x", "type", "vm"))).hasMessageStartingWith("type: ");
        assertThatThrownBy(() -> parse(Map.of("command", "x", "restart", "sometimes")))
                .hasMessageStartingWith("restart: ");
        assertThatThrownBy(() -> parse(Map.of("command", "x", "backoffInitialMillis", 5000L, "backoffMaxMillis", 100L)))
                .hasMessageContaining("backoffMaxMillis");
        assertThatThrownBy(() -> parse(Map.of("command", "x", "logMaxBytes", 10L))).hasMessageContaining("logMaxBytes");
        assertThatThrownBy(() -> parse(Map.of("command", "x", "type", "container", "profile", "tiny")))
                .hasMessageStartingWith("profile: ").hasMessageContaining("tiny");
        assertThatThrownBy(() -> parse(Map.of("command", "x", "warmSpare", true)))
                .hasMessageStartingWith("warmSpare: ").hasMessageContaining("container");
    }

    /**
     * No program can be given a NUL character in an argument (the JDK refuses such a start, "invalid null
     * character in command") and no path can hold one: accepted, args or jvmOptions with one made every start
     * fail, a running process replaced by a crash loop; a folder or the agent socket with one was refused with
     * the path's own error, naming no key, so that neither the gate nor the log could point at the line.
     */
    @Test
    void aNulCharacterIsRefusedNamingTheKey() {
        Map<String, Object> withNul = Map.of("args", "-c 'exit\u00003'", "directory", "work\u0000dir",
                "agentSocket", "agent\u0000.sock");
        withNul.forEach((key, value) -> assertThatThrownBy(() -> parse(Map.of("command", "x", key, value)))
                .as(key).hasMessageStartingWith(key + ": ").hasMessageContaining("NUL"));
        Map<String, Object> containerWithNul = Map.of("jvmOptions", "-Xmx64m\u0000", "etcSource", "etc\u0000",
                "deploySource", "deploy\u0000");
        containerWithNul.forEach((key, value) -> assertThatThrownBy(() -> parse(Map.of("type", "container", key,
                value))).as(key).hasMessageStartingWith(key + ": ").hasMessageContaining("NUL"));
    }

    /**
     * An empty agentSocket told the process to join the data folder itself (MSF_AGENT_SOCKET, msf.agent.parent
     * naming a folder), which no agent listens on: a child container's link to its parent then failed for as
     * long as it ran, for a key left empty. Refused, naming the key.
     */
    @Test
    void anEmptyAgentSocketIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> parse(Map.of("command", "x", "agentSocket", " "))).hasMessageStartingWith("agentSocket: ");
        assertThatThrownBy(() -> parse(Map.of("type", "container", "agentSocket", "")))
                .hasMessageStartingWith("agentSocket: ");
    }

    /**
     * The config gate applies Metatype's maximums, but a change made through Config Admin never met them, and
     * the code relies on them: rotated logs numbered 100 and up were never deleted, and a stop timeout near
     * Long.MAX_VALUE overflowed the wait for a stop's end, so nothing was waited for.
     */
    @Test
    void valuesAboveMetatypesMaximumsAreRefusedNamingTheKey() {
        Map<String, Object> over = Map.of("logMaxFiles", 101, "stopTimeoutMillis", Long.MAX_VALUE,
                "readyTimeoutMillis", 3_600_001L, "logMaxBytes", (1L << 30) + 1, "backoffInitialMillis", 3_600_001L,
                "backoffMaxMillis", 3_600_001L, "maxRestarts", 1001, "windowMillis", 86_400_001L);
        over.forEach((key, value) -> assertThatThrownBy(() -> parse(Map.of("command", "x", key, value)))
                .as(key).hasMessageStartingWith(key + ": ").hasMessageContaining(" is over "));
    }

    @Test
    void theMaximumsThemselvesAreAccepted() {
        ProcessSpec spec = parse(Map.of("command", "x", "logMaxFiles", 100, "stopTimeoutMillis", 600_000L,
                "readyTimeoutMillis", 3_600_000L, "logMaxBytes", 1L << 30, "backoffInitialMillis", 3_600_000L,
                "backoffMaxMillis", 3_600_000L, "maxRestarts", 1000, "windowMillis", 86_400_000L));
        assertThat(spec.logMaxFiles()).isEqualTo(100);
        assertThat(spec.stopTimeoutMillis()).isEqualTo(600_000);
        assertThat(spec.rules()).isEqualTo(new RestartRules(RestartPolicy.ON_FAILURE, 3_600_000, 3_600_000, 1000,
                86_400_000));
    }

    @Test
    void aWarmSpareIsAskedFor() {
        assertThat(parse(Map.of("type", "container")).warmSpare()).isFalse();
        assertThat(parse(Map.of("type", "container", "warmSpare", true)).warmSpare()).isTrue();
    }
}
