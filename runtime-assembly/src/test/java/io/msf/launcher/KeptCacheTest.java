package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.launcher.StartLevelLayout.BundleFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** Real Felix frameworks on one cache folder, started one after the other as the launcher does. */
class KeptCacheTest {

    @TempDir
    Path home;

    private final Properties system = new Properties();
    private final ByteArrayOutputStream problems = new ByteArrayOutputStream();
    private Path etc;
    private List<BundleFile> plan;

    @BeforeEach
    void assembly() throws IOException {
        Files.createDirectories(home.resolve("lib"));
        etc = Files.createDirectories(home.resolve("etc-watched"));
        Files.writeString(etc.resolve("a.cfg"), "x = 1\n");
        plan = List.of(new BundleFile(1, TestBundles.write(home.resolve("bundle/1/a.jar"), "test.a", Map.of())));
        writeConfig("true");
    }

    @Test
    void aSecondStartWithNothingChangedKeepsTheCacheAndDropsBundlesTheLauncherDidNotInstall() throws Exception {
        assertThat(start(true)).isFalse(); // no fingerprint yet: wiped
        assertThat(start(true)).isTrue();
    }

    @Test
    void aChangedJarWipesTheCache() throws Exception {
        start(true);
        Path jar = plan.get(0).file();
        TestBundles.write(jar, "test.a", Map.of("Bundle-Name", "changed"));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 2000));

        assertThat(start(true)).isFalse();
        assertThat(start(true)).isTrue();
    }

    @Test
    void aChangedOrNewFileInAWatchedFolderWipesTheCache() throws Exception {
        start(true);
        Files.writeString(etc.resolve("a.cfg"), "x = 2\n"); // same size, other content
        assertThat(start(true)).isFalse();
        Files.writeString(etc.resolve("b.cfg"), "y = 1\n");
        assertThat(start(true)).isFalse();
        assertThat(start(true)).isTrue();
    }

    @Test
    void aConfigurationFileRewrittenUnchangedKeepsTheCache() throws Exception {
        start(true);
        Path file = etc.resolve("a.cfg");
        Files.writeString(file, "x = 1\n"); // as FileInstall does at every start
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));

        assertThat(start(true)).isTrue();
    }

    @Test
    void aChangedPropertyWipesTheCache() throws Exception {
        start(true);
        system.setProperty("msf.profile", "other");
        assertThat(start(true)).isFalse();
    }

    @Test
    void keepFalseAlwaysWipesAndWritesNoFingerprint() throws Exception {
        writeConfig("false");
        assertThat(start(true)).isFalse();
        assertThat(start(true)).isFalse();
        assertThat(home.resolve("data/cache.fingerprint")).doesNotExist();
    }

    @Test
    void aStartKilledBeforeItsPlanWasInstalledLeavesNoFingerprint() throws Exception {
        start(true);
        Files.writeString(etc.resolve("a.cfg"), "x = 3\n");
        assertThat(start(false)).isFalse(); // wiped, "killed" before installed()
        assertThat(home.resolve("data/cache.fingerprint")).doesNotExist();
        assertThat(start(true)).isFalse();
        assertThat(start(true)).isTrue();
    }

    /**
     * One launcher run: decides, inits Felix, drops unplanned bundles, installs the plan, adds a
     * bundle "someone else" installs (as FileInstall would), stops.
     *
     * @param completeInstall false: stops as if killed before the fingerprint is written
     * @return whether the cache was reused
     */
    private boolean start(boolean completeInstall) throws IOException, BundleException, InterruptedException {
        LauncherConfig config = LauncherConfig.load(home, home.resolve("data"), system);
        Files.createDirectories(config.data());
        KeptCache cache = KeptCache.decide(config, plan, List.of());
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow();
        Framework framework = factory.newFramework(cache.frameworkProperties(config.properties()));
        framework.init();
        try {
            cache.dropUnplanned(framework.getBundleContext(), plan, new PrintStream(problems, true, StandardCharsets.UTF_8));
            // what the previous run left: only the plan's bundle, or nothing on a wiped cache
            assertThat(framework.getBundleContext().getBundles()).extracting(Bundle::getSymbolicName)
                    .isSubsetOf("org.apache.felix.framework", "test.a");
            new BundleInstaller(framework.getBundleContext(), new PrintStream(problems)).install(plan);
            framework.getBundleContext().installBundle(BundleInstaller.location(
                    TestBundles.write(home.resolve("deploy/other.jar"), "test.other", Map.of())));
            if (completeInstall) {
                cache.installed(new PrintStream(problems));
            }
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
        assertThat(problems.toString(StandardCharsets.UTF_8)).isEmpty();
        return cache.reused();
    }

    private void writeConfig(String keep) throws IOException {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve(LauncherConfig.CONFIG_FILE), String.join("\n",
                "org.osgi.framework.storage = ${msf.data}/cache",
                "org.osgi.framework.storage.clean = onFirstInit",
                "felix.log.level = 0",
                "msf.profile = full",
                "msf.cache.keep = " + keep,
                "msf.cache.watch = ${msf.home}/etc-watched, ${msf.home}/not-there", ""));
    }
}
