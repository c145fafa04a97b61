package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.files.DataFolder;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Framing;
import io.msf.net.api.NetTransport;
import io.msf.settings.testing.ComponentConfigs;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The endpoint files shipped in config/ use only known keys and read into the endpoints they describe. */
class DefaultConfigurationTest {

    private static final Path CONFIG_DIR = Path.of("../../config");

    @Test
    void theTcpEchoEndpointIsALengthFieldServerOnLoopbackPort7000() throws IOException {
        ConfiguredSpec echo = read("msf.net.endpoint~echo");

        assertThat(echo.handler).isEqualTo("echo");
        assertThat(echo.spec).isEqualTo(new EndpointSpec("echo", NetTransport.TCP_SERVER, "127.0.0.1", 7000, "",
                Framing.LENGTH_FIELD, 4, 1 << 20, 1024));
    }

    @Test
    void theUnixSocketEchoEndpointIsInTheDataDir() throws IOException {
        ConfiguredSpec echo = read("msf.net.endpoint~echo-uds");

        assertThat(echo.handler).isEqualTo("echo");
        assertThat(echo.spec.name()).isEqualTo("echo-uds");
        assertThat(echo.spec.transport()).isEqualTo(NetTransport.UDS_SERVER);
        assertThat(echo.spec.path()).isEqualTo("echo.sock");
    }

    private static ConfiguredSpec read(String pid) throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(CONFIG_DIR.resolve(pid + ".cfg"))) {
            file.load(reader);
        }
        assertThat(file.stringPropertyNames()).as("keys of %s.cfg", pid).isSubsetOf(
                Arrays.stream(EndpointConfiguration.class.getDeclaredMethods()).map(Method::getName)
                        .collect(Collectors.toSet()));
        Map<String, Object> values = new HashMap<>();
        file.stringPropertyNames().forEach(key -> values.put(key, file.getProperty(key)));
        return ConfiguredSpec.parse(pid, ComponentConfigs.of(EndpointConfiguration.class, values),
                new DomainSocketFiles(DataFolder.of(Map.of(DataFolder.PROPERTY, "data")::get)));
    }
}
