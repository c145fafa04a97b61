package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
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
        assertThat(start(false)).isFalse(); // wiped, "killed" before ready
        assertThat(home.resolve("data/cache.fingerprint")).doesNotExist();
        assertThat(start(true)).isFalse();
        assertThat(start(true)).isTrue();
    }

    @Test
    void aKeepFalseRunLeavesNoFingerprintForALaterKeepTrueRun() throws Exception {
        start(true);
        writeConfig("false");
        Files.writeString(etc.resolve("a.cfg"), "x = 2\n"); // the keep=false run rebuilds the cache from this
        start(true);
        writeConfig("true");
        Files.writeString(etc.resolve("a.cfg"), "x = 1\n"); // back to what the fingerprint described

        assertThat(start(true)).isFalse();
    }

    @Test
    void aReusedCacheThatDiesBeforeReadyIsWipedNextTime() throws Exception {
        start(true);
        assertThat(start(false)).isTrue();
        assertThat(home.resolve("data/cache.fingerprint")).doesNotExist();
        assertThat(start(true)).isFalse();
        assertThat(start(true)).isTrue();
    }

    @Test
    void aFingerprintThatIsNotTextIsReportedAndWipes() throws Exception {
        start(true);
        Path fingerprint = home.resolve("data/cache.fingerprint");
        Files.write(fingerprint, new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3});

        assertThat(decide()).isFalse();
        assertThat(fingerprint).doesNotExist();
        assertThat(problems.toString(StandardCharsets.UTF_8)).contains("cannot tell whether the kept cache");
    }

    @Test
    void anUnreadableWatchedFileIsReportedAndWipes() throws Exception {
        // chmod does not stop root; reading this procfs file fails for every user
        Path unreadable = Path.of("/proc/self/mem");
        assumeTrue(Files.isRegularFile(unreadable));
        start(true);
        Files.createSymbolicLink(etc.resolve("mem.cfg"), unreadable);

        assertThat(decide()).isFalse();
        assertThat(home.resolve("data/cache.fingerprint")).doesNotExist();
        assertThat(problems.toString(StandardCharsets.UTF_8)).contains("mem.cfg");
    }

    @Test
    void aLinkedConfigurationWhoseTargetChangedWipes() throws Exception {
        Path target = Files.writeString(home.resolve("elsewhere.cfg"), "z = 1\n");
        Files.createSymbolicLink(etc.resolve("linked.cfg"), target);
        start(true);
        Files.writeString(target, "z = 2\n");

        assertThat(start(true)).isFalse();
        assertThat(start(true)).isTrue();
    }

    // The cache keeps what the container made of the files while it ran: the record must go when
    // they change after launch, or a configuration deleted while it is down would live on in it.

    @Test
    void aFileAddedWhileRunningAndDeletedWhileDownWipesTheCache() throws Exception {
        start(true);
        Path added = etc.resolve("added.cfg");
        assertThat(start(() -> { }, () -> {
            Files.writeString(added, "z = 1\n"); // FileInstall makes a configuration of it, kept in the cache
            awaitRecordGone();
        })).isTrue();
        Files.delete(added); // while the container is down: nothing removes that configuration

        assertThat(start(true)).isFalse();
        assertThat(start(true)).isTrue();
    }

    @Test
    void aFileChangedBetweenLaunchAndReadyLeavesNoRecord() throws Exception {
        start(true);
        assertThat(start(() -> Files.writeString(etc.resolve("a.cfg"), "x = 5\n"), () -> { })).isTrue();
        assertThat(fingerprintFile()).doesNotExist();
        assertThat(start(true)).isFalse();
    }

    @Test
    void aFileWrittenInAFolderMadeWhileRunningWipesTheCache() throws Exception {
        start(true);
        start(() -> { }, () -> {
            Path folder = Files.createDirectories(etc.resolve("sub"));
            Thread.sleep(300); // the watch takes the new folder in; an empty folder changes nothing
            assertThat(fingerprintFile()).exists();
            Files.writeString(folder.resolve("c.cfg"), "c = 1\n");
            awaitRecordGone();
        });
        Files.delete(etc.resolve("sub/c.cfg"));
        assertThat(start(true)).isFalse();
    }

    @Test
    void aFileRewrittenUnchangedWhileRunningKeepsTheRecord() throws Exception {
        start(true);
        start(() -> { }, () -> {
            Files.writeString(etc.resolve("a.cfg"), "x = 1\n"); // as FileInstall's write-back does
            Thread.sleep(300); // the watch has seen it and compared
        });
        assertThat(fingerprintFile()).exists();
        assertThat(start(true)).isTrue();
    }

    @Test
    void aLinkLoopInAWatchedFolderIsWatchedPastAsItIsFingerprintedPast() throws Exception {
        Files.createSymbolicLink(etc.resolve("loop"), etc); // the fingerprint skips it; the watch must too
        start(true);
        assertThat(fingerprintFile()).exists();
        assertThat(start(() -> { }, () -> {
            Files.writeString(etc.resolve("added.cfg"), "z = 1\n");
            awaitRecordGone();
        })).isTrue();
    }

    private Path fingerprintFile() {
        return home.resolve("data/cache.fingerprint");
    }

    private void awaitRecordGone() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> !Files.exists(fingerprintFile()));
    }

    /** Only the decision, for starts that report a problem. */
    private boolean decide() throws IOException {
        LauncherConfig config = LauncherConfig.load(home, home.resolve("data"), system);
        return KeptCache.decide(config, plan, List.of(), new PrintStream(problems, true, StandardCharsets.UTF_8)).reused();
    }

    /**
     * One launcher run: decides, inits Felix, drops unplanned bundles, installs the plan, adds a
     * bundle "someone else" installs (as FileInstall would), stops.
     *
     * @param reachesReady false: stops as if killed before the container was ready
     * @return whether the cache was reused
     */
    private boolean start(boolean reachesReady) throws Exception {
        return reachesReady ? start(() -> { }, () -> { }) : start(null, null);
    }

    /**
     * {@link #start(boolean)} that reaches ready, running {@code beforeReady} and {@code whileRunning}
     * around that moment; null for both: killed before ready.
     */
    private boolean start(Step beforeReady, Step whileRunning) throws Exception {
        LauncherConfig config = LauncherConfig.load(home, home.resolve("data"), system);
        Files.createDirectories(config.data());
        KeptCache cache = KeptCache.decide(config, plan, List.of(), new PrintStream(problems, true, StandardCharsets.UTF_8));
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
            if (beforeReady != null) {
                beforeReady.run();
                cache.ready(new PrintStream(problems, true, StandardCharsets.UTF_8));
                whileRunning.run();
            }
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
            cache.close();
        }
        assertThat(problems.toString(StandardCharsets.UTF_8)).isEmpty();
        return cache.reused();
    }

    /** Something a test does to the files during a run. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
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
