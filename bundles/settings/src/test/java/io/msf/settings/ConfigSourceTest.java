package io.msf.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSourceTest {

    @Test
    void aConfigurationReadFromAFileNamesTheFile() {
        assertThat(ConfigSource.of(Map.of("felix.fileinstall.filename", "file:/opt/msf/etc/msf.timer.cfg",
                "service.pid", "msf.timer"))).isEqualTo("file file:/opt/msf/etc/msf.timer.cfg");
    }

    @Test
    void oneSetThroughConfigAdminNamesConfigAdmin() {
        assertThat(ConfigSource.of(Map.of("service.pid", "msf.timer"))).isEqualTo("configuration admin");
    }

    @Test
    void noPropertiesAtAllNameConfigAdmin() {
        assertThat(ConfigSource.of(null)).isEqualTo("configuration admin");
        assertThat(ConfigSource.of(Map.of())).isEqualTo("configuration admin");
    }
}
