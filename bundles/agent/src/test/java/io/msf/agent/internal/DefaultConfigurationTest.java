package io.msf.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** config/msf.agent.cfg names every key of the configuration, each with its default. */
class DefaultConfigurationTest {

    @Test
    void theShippedFileHasEveryKeyWithItsDefault() throws IOException {
        Properties file = shipped();

        assertThat(file.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(AgentConfiguration.class.getDeclaredMethods()).map(Method::getName)
                        .collect(Collectors.toSet()));
        for (Method key : AgentConfiguration.class.getDeclaredMethods()) {
            assertThat(file.getProperty(key.getName())).as(key.getName())
                    .isEqualTo(String.valueOf(key.getDefaultValue()));
        }
    }

    /**
     * Every local user can reach a loopback port, where the Unix socket is owner-only: TCP is off until
     * it is asked for (with a token), in the shipped file and for a configuration that names no tcpPort.
     */
    @Test
    void tcpIsOffAsShipped() throws IOException {
        assertThat(shipped().getProperty("tcpPort")).isEqualTo("-1");

        ListenerSettings defaults = ListenerSettings.of(TestConfigs.agent(Map.of()));
        assertThat(defaults.tcpSpec()).isNull();
        assertThat(defaults.unixSpec()).isNotNull();
    }

    private static Properties shipped() throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("../../config/msf.agent.cfg"))) {
            file.load(reader);
        }
        return file;
    }
}
