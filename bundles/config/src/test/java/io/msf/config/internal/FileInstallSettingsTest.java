package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FileInstall's settings of its configuration files, as FileInstall 3.7.4's ConfigInstaller reads them. */
class FileInstallSettingsTest {

    private static boolean saves(Map<String, String> frameworkProperties) {
        return FileInstallSettings.fileInstallSaves(frameworkProperties::get);
    }

    @Test
    void fileInstallSavesUnlessItsSwitchSaysFalse() {
        assertThat(saves(Map.of())).as("FileInstall's default").isTrue();
        assertThat(saves(Map.of("felix.fileinstall.enableConfigSave", "false"))).isFalse();
        assertThat(saves(Map.of("felix.fileinstall.enableConfigSave", "TRUE"))).isTrue();
        assertThat(saves(Map.of("felix.fileinstall.disableConfigSave", "false"))).as("the older name").isFalse();
        assertThat(saves(Map.of("felix.fileinstall.enableConfigSave", "false",
                "felix.fileinstall.disableConfigSave", "true"))).as("the newer name wins").isFalse();
    }

    /** Boolean.valueOf, as FileInstall: a value with spaces around "true" is false. */
    @Test
    void fileInstallsSwitchIsTakenAsWritten() {
        assertThat(saves(Map.of("felix.fileinstall.enableConfigSave", "true "))).isFalse();
        assertThat(saves(Map.of("felix.fileinstall.disableConfigSave", " true"))).isFalse();
    }

    @Test
    void theEncodingIsIso88591UnlessSaidOtherwise() {
        assertThat(FileInstallSettings.configEncoding(Map.<String, String>of()::get)).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(FileInstallSettings.configEncoding(Map.of("felix.fileinstall.configEncoding", "utf-8")::get))
                .isEqualTo(StandardCharsets.UTF_8);
    }
}
