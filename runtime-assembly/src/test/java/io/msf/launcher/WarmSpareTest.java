package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.launcher.StartLevelLayout.BundleFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

class WarmSpareTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream problems = new ByteArrayOutputStream();

    private static Properties system(String... pairs) {
        Properties properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    private static WarmSpare spare() {
        return WarmSpare.requested(system(WarmSpare.SPARE, "true", ParentWatch.PARENT_PID, "1")).orElseThrow();
    }

    private LauncherConfig config(String spareLevel) {
        return new LauncherConfig(dir, dir.resolve("data"), Map.of(
                Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "5",
                WarmSpare.LEVEL, spareLevel,
                KeptCache.STORAGE, dir.resolve("data/cache").toString(),
                KeptCache.KEEP, "true"));
    }

    @Test
    void onlyAChildWithAParentCanBeASpare() {
        assertThat(WarmSpare.requested(system())).isEmpty();
        assertThat(WarmSpare.requested(system(WarmSpare.SPARE, "false"))).isEmpty();
        assertThatThrownBy(() -> WarmSpare.requested(system(WarmSpare.SPARE, "true")))
                .hasMessageContaining(ParentWatch.PARENT_PID);
        assertThatThrownBy(() -> WarmSpare.requested(system(WarmSpare.SPARE, "yes", ParentWatch.PARENT_PID, "1")))
                .hasMessageContaining(WarmSpare.SPARE).hasMessageContaining("'yes'");
    }

    @Test
    void aSpareStartsOnACacheOfItsOwnUpToItsLevel() {
        WarmSpare spare = spare();
        LauncherConfig standIn = spare.standIn(config("2"), new PrintStream(problems, true, StandardCharsets.UTF_8));

        assertThat(standIn.properties())
                .containsEntry(KeptCache.STORAGE, WarmSpare.ownCache(dir.resolve("data")).toString())
                .containsEntry(KeptCache.CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT)
                .containsEntry(KeptCache.KEEP, "false")
                .containsEntry(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "2")
                .containsEntry(WarmSpare.PROMOTED_LEVEL, "5");
        assertThat(spare.spareLevel()).isEqualTo(2);
        assertThat(spare.finalLevel()).isEqualTo(5);
    }

    @Test
    void aSpareLevelThatIsNoLevelBelowTheContainersIsRefusedNamingTheKey() {
        PrintStream err = new PrintStream(problems, true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> spare().standIn(config("5"), err)).hasMessageContaining(WarmSpare.LEVEL)
                .hasMessageContaining("below");
        assertThatThrownBy(() -> spare().standIn(config("two"), err)).hasMessageContaining(WarmSpare.LEVEL)
                .hasMessageContaining("'two'");
    }

    @Test
    void theCachesOfEndedSparesAreRemovedAndThoseOfLiveOnesKept() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path data = Files.createDirectories(dir.resolve("data"));
        Path endedCache = Files.createDirectories(data.resolve("spare-cache-" + ended.pid() + "/bundle1"));
        Files.writeString(endedCache.resolve("bundle.info"), "x");
        Process live = PidFileTest.launcherLike(data.toString(), "");
        // the pid of an ended spare, since given to another program
        Process reused = new ProcessBuilder("sleep", "60").start();
        try {
            Path liveCache = Files.createDirectories(data.resolve("spare-cache-" + live.pid()));
            Path reusedCache = Files.createDirectories(data.resolve("spare-cache-" + reused.pid() + "/bundle1"));

            WarmSpare.removeEndedCaches(data, new PrintStream(problems, true, StandardCharsets.UTF_8));

            assertThat(data.resolve("spare-cache-" + ended.pid())).doesNotExist();
            assertThat(reusedCache.getParent()).doesNotExist();
            assertThat(liveCache).isDirectory();
            assertThat(problems.toString(StandardCharsets.UTF_8)).isEmpty();
        } finally {
            live.destroyForcibly().waitFor();
            reused.destroyForcibly().waitFor();
        }
    }

    @Test
    void aSparesOwnCacheIsNamedByItsPid() {
        assertThat(WarmSpare.ownCache(dir)).isEqualTo(dir.resolve("spare-cache-" + ProcessHandle.current().pid()));
    }

    @Test
    void deferredJarsWaitAboveTheSpareLevel() {
        WarmSpare spare = spare();
        spare.standIn(config("2"), new PrintStream(problems, true, StandardCharsets.UTF_8));
        List<BundleFile> plan = List.of(new BundleFile(1, Path.of("bundle/1/msf-log-1.0.jar")),
                new BundleFile(1, Path.of("bundle/1/org.apache.felix.log-1.3.0.jar")),
                new BundleFile(4, Path.of("bundle/4/msf-log-extra.jar")));

        assertThat(spare.defer(plan, new LauncherConfig(dir, dir.resolve("data"),
                Map.of(WarmSpare.DEFER, "msf-log-*.jar")))).containsExactly(
                new BundleFile(3, Path.of("bundle/1/msf-log-1.0.jar")),
                new BundleFile(1, Path.of("bundle/1/org.apache.felix.log-1.3.0.jar")),
                new BundleFile(4, Path.of("bundle/4/msf-log-extra.jar")));
        assertThat(spare.defer(plan, new LauncherConfig(dir, dir.resolve("data"), Map.of()))).isEqualTo(plan);
    }

    @Test
    void errorsAboutTheLevelsAndTheDeferredJarsNameTheSystemPropertiesThatGaveThem() throws IOException {
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve(LauncherConfig.CONFIG_FILE), Constants.FRAMEWORK_BEGINNING_STARTLEVEL
                + " = 5\n" + WarmSpare.LEVEL + " = 2\n" + WarmSpare.DEFER + " = msf-log-*.jar\n");
        Properties system = system(WarmSpare.LEVEL, "two");
        PrintStream err = new PrintStream(problems, true, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> spare().standIn(LauncherConfig.load(dir, dir.resolve("data"), system), err))
                .hasMessage("-D" + WarmSpare.LEVEL + " (which overrides etc/config.properties): " + WarmSpare.LEVEL
                        + " must be a start level (1 or more), not 'two'");

        system.setProperty(WarmSpare.LEVEL, "3");
        system.setProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "3");
        assertThatThrownBy(() -> spare().standIn(LauncherConfig.load(dir, dir.resolve("data"), system), err))
                .hasMessageStartingWith("-D" + WarmSpare.LEVEL + ", -D" + Constants.FRAMEWORK_BEGINNING_STARTLEVEL
                        + " (which override etc/config.properties): " + WarmSpare.LEVEL + " (3) must be below");

        system.setProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "5");
        system.setProperty(WarmSpare.DEFER, "msf-[log.jar");
        WarmSpare spare = spare();
        LauncherConfig standIn = spare.standIn(LauncherConfig.load(dir, dir.resolve("data"), system), err);
        assertThatThrownBy(() -> spare.defer(List.of(), standIn)).hasMessageStartingWith("-D" + WarmSpare.DEFER
                + " (which overrides etc/config.properties): " + WarmSpare.DEFER + ": 'msf-[log.jar' is not");
    }

    @Test
    void theParentsStartLinePromotesTheSpareAndAStoppedFrameworkEndsTheWait() throws Exception {
        Framework framework = startedFramework();
        try {
            WarmSpare spare = spare();
            CompletableFuture<Boolean> promoted = CompletableFuture.supplyAsync(() -> await(spare, framework));
            spare.line("stop");
            spare.line("");
            assertThat(spare.promotedAtMillis()).isZero(); // other lines promote nothing
            long before = System.currentTimeMillis();
            spare.line(" start ");
            assertThat(promoted.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(spare.promotedAtMillis()).isGreaterThanOrEqualTo(before);

            WarmSpare unpromoted = spare();
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> await(unpromoted, framework));
            framework.stop();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    @Test
    void theClassesToInitialiseAreInitialisedInTheirBundleAndBadEntriesReported() throws Exception {
        Framework framework = startedFramework();
        try {
            String system = framework.getSymbolicName();
            PrintStream err = new PrintStream(problems, true, StandardCharsets.UTF_8);
            int initialised = spare().initialise(framework.getBundleContext(), Map.of(WarmSpare.INIT,
                    system + "/io.msf.launcher.WarmSpareTest$Probe, no.such.bundle/x.Y, " + system
                            + "/no.such.Class, without-a-slash"), err);

            assertThat(initialised).isEqualTo(1);
            assertThat(probeInitialised).isTrue(); // read here, not from Probe: that would initialise it
            assertThat(problems.toString(StandardCharsets.UTF_8))
                    .contains("'no.such.bundle/x.Y' names no resolved bundle")
                    .contains("cannot initialise '" + system + "/no.such.Class'")
                    .contains("'without-a-slash' names no resolved bundle");
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    /** Set by {@link Probe}'s static initialiser. */
    static volatile boolean probeInitialised;

    /** Initialised through the framework's class loader, which sees the test class path. */
    static final class Probe {
        static {
            probeInitialised = true;
        }
    }

    private Framework startedFramework() throws BundleException {
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        return framework;
    }

    private static boolean await(WarmSpare spare, Framework framework) {
        try {
            return spare.awaitPromotion(framework);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
