package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigFileNameTest {

    @Test
    void aPlainPid() {
        assertThat(ConfigFileName.of("msf.log.cfg")).contains(new ConfigFileName("msf.log", null, false));
        assertThat(ConfigFileName.of("msf.log.config").orElseThrow().configurationPid()).isEqualTo("msf.log");
    }

    @Test
    void aFactoryConfigurationAfterDashOrTilde() {
        ConfigFileName dash = ConfigFileName.of("msf.net.endpoint-echo.cfg").orElseThrow();
        ConfigFileName tilde = ConfigFileName.of("msf.net.endpoint~echo.config").orElseThrow();

        assertThat(dash).isEqualTo(new ConfigFileName("msf.net.endpoint", "echo", false));
        assertThat(tilde).isEqualTo(new ConfigFileName("msf.net.endpoint", "echo", true));
        assertThat(dash.configurationPid()).isEqualTo("msf.net.endpoint~echo");
        assertThat(tilde.configurationPid()).isEqualTo("msf.net.endpoint~echo");
    }

    @Test
    void theFirstSeparatorSplitsAndTheNameMayHoldTheOther() {
        assertThat(ConfigFileName.of("msf.net.endpoint~echo-2.cfg"))
                .contains(new ConfigFileName("msf.net.endpoint", "echo-2", true));
        assertThat(ConfigFileName.of("msf.net.endpoint-echo~2.cfg"))
                .contains(new ConfigFileName("msf.net.endpoint", "echo~2", false));
    }

    @Test
    void otherFilesAreLeftToFileInstall() {
        assertThat(ConfigFileName.of("org.apache.felix.fileinstall-deploy.cfg")).isEmpty();
        assertThat(ConfigFileName.of("msf.log.cfg.bak")).isEmpty();
        assertThat(ConfigFileName.of("msf.jar")).isEmpty();
        assertThat(ConfigFileName.of("msfx.log.cfg")).isEmpty();
    }
}
