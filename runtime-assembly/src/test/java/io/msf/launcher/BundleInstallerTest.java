package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.launcher.StartLevelLayout.BundleFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.startlevel.BundleStartLevel;

class BundleInstallerTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream problems = new ByteArrayOutputStream();
    private TestFramework framework;

    @BeforeEach
    void initFramework() throws Exception {
        framework = new TestFramework(dir.resolve("cache"), 3);
    }

    @AfterEach
    void stopFramework() throws Exception {
        framework.close();
    }

    @Test
    void givesEachBundleItsLevelAndMarksItForStart() throws Exception {
        List<Bundle> installed = install(List.of(
                new BundleFile(1, TestBundles.write(dir.resolve("bundle/1/a.jar"), "test.a", Map.of())),
                new BundleFile(3, TestBundles.write(dir.resolve("bundle/3/b.jar"), "test.b", Map.of()))));

        assertThat(installed).extracting(Bundle::getSymbolicName).containsExactly("test.a", "test.b");
        assertThat(installed).extracting(bundle -> bundle.adapt(BundleStartLevel.class).getStartLevel()).containsExactly(1, 3);
        assertThat(installed).allMatch(bundle -> bundle.adapt(BundleStartLevel.class).isPersistentlyStarted());
        assertThat(installed.get(0).getLocation()).startsWith("reference:file:");
    }

    @Test
    void fragmentsAreInstalledButNeverMarkedForStart() throws Exception {
        List<Bundle> installed = install(List.of(
                new BundleFile(2, TestBundles.write(dir.resolve("bundle/2/host.jar"), "test.host", Map.of())),
                new BundleFile(2, TestBundles.write(dir.resolve("bundle/2/native.jar"), "test.native",
                        Map.of("Fragment-Host", "test.host")))));

        Bundle fragment = installed.get(1);
        assertThat(BundleInstaller.isFragment(fragment)).isTrue();
        assertThat(fragment.adapt(BundleStartLevel.class).isPersistentlyStarted()).isFalse();
        assertThat(problems()).isEmpty();
    }

    @Test
    void aBrokenJarIsReportedAndTheRestStillInstalled() throws Exception {
        Path broken = dir.resolve("bundle/1/broken.jar");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "not a zip");

        List<Bundle> installed = install(List.of(
                new BundleFile(1, broken),
                new BundleFile(1, TestBundles.write(dir.resolve("bundle/1/good.jar"), "test.good", Map.of()))));

        assertThat(installed).extracting(Bundle::getSymbolicName).containsExactly("test.good");
        // with the cause under Felix's words: "Unable to cache bundle" alone hid a full disk too
        assertThat(problems()).contains("msf: cannot install " + broken + ": Unable to cache bundle: ")
                .contains(" <- ZipException: zip END header not found");
    }

    private List<Bundle> install(List<BundleFile> plan) throws IOException {
        return new BundleInstaller(framework.context(), new PrintStream(problems, true, StandardCharsets.UTF_8)).install(plan);
    }

    private String problems() {
        return problems.toString(StandardCharsets.UTF_8);
    }
}
