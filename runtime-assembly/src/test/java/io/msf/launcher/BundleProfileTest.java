package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.launcher.StartLevelLayout.BundleFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleProfileTest {

    private static final List<BundleFile> PLAN = List.of(
            new BundleFile(1, Path.of("/msf/bundle/1/msf-log-1.jar")),
            new BundleFile(4, Path.of("/msf/bundle/4/msf-monitor-1.jar")),
            new BundleFile(4, Path.of("/msf/bundle/4/msf-supervisor-1.jar")),
            new BundleFile(4, Path.of("/msf/bundle/4/msf-agent-1.jar")));
    private static final List<Path> CONSOLE = List.of(Path.of("/msf/bundle/console/jline.jar"));
    private static final String OMIT = "msf.profile.service.omit";

    @Test
    void fullRunsEverything() {
        BundleProfile full = BundleProfile.of(Map.of("msf.profile", "full", OMIT, "console, *.jar"));

        assertThat(full.plan(PLAN)).isEqualTo(PLAN);
        assertThat(full.console(CONSOLE)).isEqualTo(CONSOLE);
    }

    @Test
    void anotherProfileLeavesOutItsGlobsAndTheConsole() {
        BundleProfile service = BundleProfile.of(Map.of("msf.profile", "service",
                OMIT, " console , msf-monitor-*.jar,msf-supervisor-*.jar"));

        assertThat(service.plan(PLAN)).extracting(entry -> entry.file().getFileName().toString())
                .containsExactly("msf-log-1.jar", "msf-agent-1.jar");
        assertThat(service.console(CONSOLE)).isEmpty();
    }

    @Test
    void aProfileWithoutItsOmitKeyIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> BundleProfile.of(Map.of("msf.profile", "tiny")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("msf.profile.tiny.omit").hasMessageContaining("'tiny'");
    }

    @Test
    void aProfileThatLeavesNothingIsAnError() {
        BundleProfile nothing = BundleProfile.of(Map.of("msf.profile", "none", "msf.profile.none.omit", "*.jar"));

        assertThatThrownBy(() -> nothing.plan(PLAN)).hasMessageContaining("profile 'none' leaves no bundle");
    }
}
