package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.launcher.StartLevelLayout.BundleFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleProfileTest {

    @TempDir
    Path home;

    private static final List<BundleFile> PLAN = List.of(
            new BundleFile(1, Path.of("/msf/bundle/1/msf-log-1.jar")),
            new BundleFile(4, Path.of("/msf/bundle/4/msf-monitor-1.jar")),
            new BundleFile(4, Path.of("/msf/bundle/4/msf-supervisor-1.jar")),
            new BundleFile(4, Path.of("/msf/bundle/4/msf-agent-1.jar")));
    private static final List<Path> CONSOLE = List.of(Path.of("/msf/bundle/console/jline.jar"));
    private static final String OMIT = "msf.profile.service.omit";

    @Test
    void fullRunsEverything() {
        BundleProfile full = BundleProfile.of(fromFile(Map.of("msf.profile", "full", OMIT, "console, *.jar")));

        assertThat(full.plan(PLAN)).isEqualTo(PLAN);
        assertThat(full.console(CONSOLE)).isEqualTo(CONSOLE);
    }

    @Test
    void anotherProfileLeavesOutItsGlobsAndTheConsole() {
        BundleProfile service = BundleProfile.of(fromFile(Map.of("msf.profile", "service",
                OMIT, " console , msf-monitor-*.jar,msf-supervisor-*.jar")));

        assertThat(service.plan(PLAN)).extracting(entry -> entry.file().getFileName().toString())
                .containsExactly("msf-log-1.jar", "msf-agent-1.jar");
        assertThat(service.console(CONSOLE)).isEmpty();
    }

    @Test
    void aProfileWithoutItsOmitKeyIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> BundleProfile.of(fromFile(Map.of("msf.profile", "tiny"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("msf.profile.tiny.omit").hasMessageContaining("'tiny'");
    }

    @Test
    void aProfileThatLeavesNothingIsAnError() {
        BundleProfile nothing = BundleProfile.of(fromFile(Map.of("msf.profile", "none", "msf.profile.none.omit", "*.jar")));

        assertThatThrownBy(() -> nothing.plan(PLAN)).hasMessageContaining("profile 'none' leaves no bundle");
    }

    @Test
    void errorsNameTheSystemPropertiesThatGaveTheValues() throws IOException {
        // a child of the supervisor gets its profile as -Dmsf.profile: the errors named the file
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve(LauncherConfig.CONFIG_FILE),
                "msf.profile = full\n" + OMIT + " = console\n");
        Properties system = new Properties();
        system.setProperty("msf.profile", "tiny");

        assertThatThrownBy(() -> BundleProfile.of(LauncherConfig.load(home, home.resolve("data"), system)))
                .hasMessageStartingWith("-Dmsf.profile (which overrides etc/config.properties): msf.profile is 'tiny',"
                        + " but msf.profile.tiny.omit (the bundles it leaves out) is missing from etc/config.properties");

        system.setProperty("msf.profile", "service");
        system.setProperty(OMIT, "console, msf-[log.jar");
        assertThatThrownBy(() -> BundleProfile.of(LauncherConfig.load(home, home.resolve("data"), system)))
                .hasMessageStartingWith("-D" + OMIT + " (which overrides etc/config.properties): " + OMIT
                        + ": 'msf-[log.jar' is not a file-name glob");
    }

    @Test
    void errorsAboutTheFilesValuesNameTheFile() {
        assertThatThrownBy(() -> BundleProfile.of(fromFile(Map.of("msf.profile", "service", OMIT, "msf-[log.jar"))))
                .hasMessageStartingWith("etc/config.properties: " + OMIT + ": 'msf-[log.jar' is not a file-name glob");
    }

    private LauncherConfig fromFile(Map<String, String> properties) {
        return new LauncherConfig(home, home.resolve("data"), properties);
    }
}
