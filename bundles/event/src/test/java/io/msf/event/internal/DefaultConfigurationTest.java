package io.msf.event.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.msf.event.api.Transport;
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
import org.osgi.service.component.ComponentContext;
import org.osgi.service.log.Logger;

/** config/msf.event.cfg uses only known keys, and its values start the groups. */
class DefaultConfigurationTest {

    @Test
    void theShippedFileStartsTheGroups() throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("../../config/msf.event.cfg"))) {
            file.load(reader);
        }
        assertThat(file.stringPropertyNames()).isSubsetOf(
                Arrays.stream(EventLoopConfiguration.class.getDeclaredMethods()).map(Method::getName)
                        .collect(Collectors.toSet()));
        Map<String, Object> values = new HashMap<>();
        file.stringPropertyNames().forEach(key -> values.put(key, file.getProperty(key)));

        EventLoopGroups groups = new EventLoopGroups(ComponentConfigs.of(EventLoopConfiguration.class, values),
                Map.of(), EventLoopGroupsTest.registered(mock(ComponentContext.class)), new LoopSettingsInForce(),
                mock(Logger.class));
        try {
            assertThat(groups.transport()).isIn(Transport.EPOLL, Transport.NIO);
            assertThat(groups.groupNames()).containsExactly("io", "worker");
        } finally {
            groups.deactivate();
        }
    }
}
