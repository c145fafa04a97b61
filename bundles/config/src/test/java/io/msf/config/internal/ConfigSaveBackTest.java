package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.nullable;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.log.Logger;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;

/**
 * What the write-back does with the file of a configuration deleted through Config Admin (a
 * console command, a management tool): it deletes the file, as FileInstall's own write-back did,
 * unless the file was edited since, lies outside the watched folder, or holds other configurations.
 */
class ConfigSaveBackTest {

    @TempDir
    Path home;

    private Path etc;
    private final BundleContext context = mock(BundleContext.class);
    private final ConfigurationAdmin configAdmin = mock(ConfigurationAdmin.class);
    private final MetaTypeService metatype = mock(MetaTypeService.class);
    private final Logger log = mock(Logger.class);
    private final AppliedFiles applied = new AppliedFiles();
    private final GateSwitch gateSwitch = new GateSwitch();
    /** The configurations Config Admin holds. */
    private final List<Configuration> stored = new CopyOnWriteArrayList<>();
    /** The file work the events left for the write-back's thread, run when a test says so. */
    private final Queue<Runnable> fileWork = new ArrayDeque<>();

    @BeforeEach
    void container() throws Exception {
        etc = Files.createDirectories(home.resolve("etc"));
        when(context.getProperty("msf.home")).thenReturn(home.toString());
        when(context.getBundles()).thenReturn(new Bundle[0]); // none describes a PID, unless a test says so
        when(context.getProperty("felix.fileinstall.dir")).thenReturn(etc.toString());
        when(context.getProperty("felix.fileinstall.enableConfigSave")).thenReturn("false");
        when(configAdmin.listConfigurations(nullable(String.class))).thenAnswer(call -> {
            String filter = call.getArgument(0);
            Filter matching = filter == null ? null : FrameworkUtil.createFilter(filter);
            Configuration[] found = stored.stream()
                    .filter(c -> matching == null || matching.match(c.getProperties()))
                    .toArray(Configuration[]::new);
            return found.length == 0 ? null : found; // as Config Admin answers
        });
    }

    private Path write(Path dir, String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.ISO_8859_1);
    }

    /** A configuration made from {@code file} (FileInstall's mark), holding {@code values}. */
    private Configuration madeFrom(Path file, String pid, Map<String, Object> values) {
        return stored(pid, values, NamedFactoryConfigs.FILENAME, file);
    }

    /** A service configuration the gate made from a {@code .json} file (its own mark). */
    private Configuration madeFromJson(Path file, String service) {
        return stored("msf.service~" + service, Map.of("location", service + ".jar"), JsonServiceFiles.MARK, file);
    }

    private Configuration stored(String pid, Map<String, Object> values, String mark, Path file) {
        Configuration configuration = mock(Configuration.class);
        Dictionary<String, Object> properties = new Hashtable<>(values);
        properties.put("service.pid", pid);
        properties.put(mark, file.toFile().getAbsoluteFile().toURI().toString());
        when(configuration.getPid()).thenReturn(pid);
        when(configuration.getProperties()).thenReturn(properties);
        stored.add(configuration);
        return configuration;
    }

    /** The installed bundles describe these PIDs (test resources under metatype/). */
    private void describedBy(String... resources) {
        TestMetatype descriptions = TestMetatype.load(resources);
        Bundle bundle = mock(Bundle.class);
        when(context.getBundles()).thenReturn(new Bundle[] {bundle});
        MetaTypeInformation info = mock(MetaTypeInformation.class);
        when(info.getPids()).thenReturn(new String[] {"msf.demo"});
        when(info.getFactoryPids()).thenReturn(new String[] {"msf.service"});
        for (String pid : List.of("msf.demo", "msf.service")) {
            when(info.getObjectClassDefinition(pid, null)).thenReturn(descriptions.apply(pid).orElseThrow().ocd());
        }
        when(metatype.getMetaTypeInformation(bundle)).thenReturn(info);
    }

    /** An installed bundle describes msf.log, whose key secret is a password (log.xml). */
    private void describedByLog() {
        Bundle logBundle = mock(Bundle.class);
        when(context.getBundles()).thenReturn(new Bundle[] {logBundle});
        MetaTypeInformation info = mock(MetaTypeInformation.class);
        when(info.getPids()).thenReturn(new String[] {"msf.log"});
        when(info.getObjectClassDefinition("msf.log", null))
                .thenReturn(TestMetatype.load("log.xml").apply("msf.log").orElseThrow().ocd());
        when(metatype.getMetaTypeInformation(logBundle)).thenReturn(info);
    }

    /** The config gate the write-back asks, over the same Metatype, applied files and switch, as it is set. */
    private ConfigGate gate() {
        return new ConfigGate(gateEnabled(gateSwitch.enabled()), context, metatype, configAdmin, applied, gateSwitch,
                mock(Logger.class));
    }

    /** msf-config's write-back as the container starts it: on, FileInstall's off. */
    private ConfigSaveBack saveBack() {
        ConfigSaveBack saveBack = new ConfigSaveBack(context, configAdmin, metatype, applied, gateSwitch, gate(), log, fileWork::add);
        assertThat(saveBack.enabled()).isTrue();
        clearInvocations(log); // the line saying it is on
        return saveBack;
    }

    private void updated(ConfigSaveBack saveBack, Configuration configuration) {
        saveBack.configurationEvent(event(ConfigurationEvent.CM_UPDATED, configuration.getPid()));
        fileWorkDone();
    }

    /** As Config Admin deletes a configuration: gone from it, then the event. */
    private void delete(ConfigSaveBack saveBack, Configuration configuration) {
        stored.remove(configuration);
        saveBack.configurationEvent(event(ConfigurationEvent.CM_DELETED, configuration.getPid()));
        fileWorkDone();
    }

    /** The write-back's thread catches up. */
    private void fileWorkDone() {
        for (Runnable work; (work = fileWork.poll()) != null; ) {
            work.run();
        }
    }

    /** A file of {@code dir} FileInstall made configuration org.example from, deleted through Config Admin. */
    private Path exampleDeletedThroughConfigAdmin(Path dir) throws IOException {
        Path file = write(dir, "org.example.cfg", "size = 3");
        Configuration configuration = madeFrom(file, "org.example", Map.of("size", "3"));
        delete(saveBack(), configuration);
        return file;
    }

    private static ConfigurationEvent event(int type, String pid) {
        int tilde = pid.indexOf('~');
        return new ConfigurationEvent(mock(ServiceReference.class), type, tilde < 0 ? null : pid.substring(0, tilde),
                pid);
    }

    private void nothingSaid() {
        verifyNoInteractions(log);
    }

    /** A container killed (kill -9, a power loss) while it wrote a change beside its file left that text. */
    @Test
    void theTextOfAWriteBackKilledHalfwayIsRemovedAtTheStart() throws IOException {
        Path leftover = write(etc, ".msf.log.cfg.8301946283617364819.saving", "level = DEBUG");
        Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path operators = write(etc, "msf.log.cfg.saving", "level = DEBUG");
        Files.setLastModifiedTime(operators, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        new ConfigSaveBack(context, configAdmin, metatype, applied, gateSwitch, gate(), log, fileWork::add);
        fileWorkDone();

        assertThat(leftover).doesNotExist();
        assertThat(operators).exists();
        verify(log).info(contains("removed"), eq("etc/.msf.log.cfg.8301946283617364819.saving"));
    }

    /** The container started with the configuration in Config Admin and its file applied by the gate. */
    @Test
    void aConfigurationDeletedThroughConfigAdminTakesItsFileAlong() throws IOException {
        Path file = write(etc, "msf.log.cfg", "# the log", "level = INFO");
        applied.applied(file, Map.of("level", "INFO"));
        Configuration configuration = madeFrom(file, "msf.log", Map.of("level", "INFO"));
        ConfigSaveBack saveBack = saveBack();

        delete(saveBack, configuration);

        assertThat(file).doesNotExist();
        verify(log).info(anyString(), eq("etc/msf.log.cfg"), eq("msf.log"));
    }

    /** One FileInstall (or the gate) made after the write-back started: known by its CM_UPDATED. */
    @Test
    void aConfigurationMadeFromAFileSinceTheStartTakesItsFileAlong() throws IOException {
        ConfigSaveBack saveBack = saveBack();
        Path file = write(etc, "msf.net.endpoint~echo.cfg", "handler = echo", "port = 7000");
        applied.applied(file, Map.of("handler", "echo", "port", "7000"));
        Configuration configuration = madeFrom(file, "msf.net.endpoint~echo", Map.of("handler", "echo",
                "port", "7000"));
        updated(saveBack, configuration);

        delete(saveBack, configuration);

        assertThat(file).doesNotExist();
        verify(log).info(anyString(), eq("etc/msf.net.endpoint~echo.cfg"), eq("msf.net.endpoint~echo"));
    }

    /**
     * Made and deleted at once (a script, a test): the deletion comes before the write-back's thread
     * had a look at the configuration made. Which file it came from was recorded when it was made.
     */
    @Test
    void aConfigurationDeletedBeforeTheWriteBackLookedAtItTakesItsFileAlong() throws IOException {
        ConfigSaveBack saveBack = saveBack();
        Path file = write(etc, "msf.net.endpoint~echo.cfg", "handler = echo", "port = 7000");
        applied.applied(file, Map.of("handler", "echo", "port", "7000"));
        Configuration configuration = madeFrom(file, "msf.net.endpoint~echo", Map.of("handler", "echo",
                "port", "7000"));
        saveBack.configurationEvent(event(ConfigurationEvent.CM_UPDATED, configuration.getPid()));
        stored.remove(configuration);
        saveBack.configurationEvent(event(ConfigurationEvent.CM_DELETED, configuration.getPid()));

        fileWorkDone();

        assertThat(file).doesNotExist();
        verify(log).info(anyString(), eq("etc/msf.net.endpoint~echo.cfg"), eq("msf.net.endpoint~echo"));
    }

    /**
     * Config Admin makes a configuration visible before it tells its listeners of it: deleted in
     * between (a script, a test that waits for the configuration and deletes it), its deletion is
     * told first, and its making is told once it is gone. The file named after it is its file.
     */
    @Test
    void aConfigurationDeletedBeforeItsMakingWasToldTakesItsFileAlong() throws IOException {
        ConfigSaveBack saveBack = saveBack();
        Path file = write(etc, "org.example.cfg", "# made and deleted at once", "size = 3");
        Configuration configuration = madeFrom(file, "org.example", Map.of("size", "3"));

        stored.remove(configuration);
        saveBack.configurationEvent(event(ConfigurationEvent.CM_DELETED, "org.example"));
        saveBack.configurationEvent(event(ConfigurationEvent.CM_UPDATED, "org.example"));
        fileWorkDone();

        assertThat(file).doesNotExist();
        verify(log).info(anyString(), eq("etc/org.example.cfg"), eq("org.example"));
    }

    /** FileInstall's name of a factory configuration, applied by the gate: what it said then is known. */
    @Test
    void aFactoryConfigurationDeletedBeforeItsMakingWasToldTakesItsFileAlong() throws IOException {
        ConfigSaveBack saveBack = saveBack();
        Path file = write(etc, "msf.net.endpoint-echo.cfg", "handler = echo", "port = 7000");
        applied.applied(file, Map.of("handler", "echo", "port", "7000"));

        saveBack.configurationEvent(event(ConfigurationEvent.CM_DELETED, "msf.net.endpoint~echo"));
        fileWorkDone();

        assertThat(file).doesNotExist();
        verify(log).info(anyString(), eq("etc/msf.net.endpoint-echo.cfg"), eq("msf.net.endpoint~echo"));
    }

    /** The same, the file edited since the gate applied it: the edit wins there too. */
    @Test
    void aFileEditedSinceItsUntoldConfigurationWasMadeIsKept() throws IOException {
        ConfigSaveBack saveBack = saveBack();
        Path file = write(etc, "msf.net.endpoint-echo.cfg", "handler = echo", "port = 7001");
        applied.applied(file, Map.of("handler", "echo", "port", "7000"));

        saveBack.configurationEvent(event(ConfigurationEvent.CM_DELETED, "msf.net.endpoint~echo"));
        fileWorkDone();

        assertThat(file).exists();
        verify(log).warn(contains("edited since it was applied"), eq("etc/msf.net.endpoint-echo.cfg"),
                eq("msf.net.endpoint~echo"));
    }

    /** A configuration made through Config Admin, and a file of its name the gate refuses: the file made nothing. */
    @Test
    void aFileTheGateRefusesIsNotTakenForTheFileOfAConfigurationMadeThroughConfigAdmin() throws Exception {
        ConfigGate gate = gate();
        gate.bindFileInstallConfigs(mock(org.apache.felix.fileinstall.ArtifactInstaller.class));
        ConfigSaveBack saveBack = new ConfigSaveBack(context, configAdmin, metatype, applied, gateSwitch, gate, log,
                fileWork::add);
        Path file = write(etc, "msf.log.cfg");
        gate.install(file.toFile());
        assertThat(gate.rejected()).isNotEmpty();
        clearInvocations(log);

        saveBack.configurationEvent(event(ConfigurationEvent.CM_DELETED, "msf.log"));
        fileWorkDone();

        assertThat(file).exists();
        verify(log).warn(contains("the config gate refuses the file"), eq("etc/msf.log.cfg"), eq("msf.log"));
    }

    /**
     * Deleted between the write-back finding the configuration and reading it, which Config Admin
     * then refuses with IllegalStateException: gone, as if not found; its deletion's event follows.
     */
    @Test
    void aConfigurationDeletedWhileTheWriteBackLooksAtItIsNoError() throws IOException {
        ConfigSaveBack saveBack = saveBack();
        Path file = write(etc, "org.example.cfg", "size = 3");
        Configuration configuration = madeFrom(file, "org.example", Map.of("size", "3"));
        Dictionary<String, Object> properties = configuration.getProperties();
        // found (Config Admin's filter reads the properties), then deleted before the write-back reads them
        when(configuration.getProperties()).thenReturn(properties)
                .thenThrow(new IllegalStateException("Configuration org.example deleted"));

        saveBack.configurationEvent(event(ConfigurationEvent.CM_UPDATED, "org.example"));
        stored.remove(configuration);
        saveBack.configurationEvent(event(ConfigurationEvent.CM_DELETED, "org.example"));
        fileWorkDone();

        verify(log, never()).error(anyString(), any(Object[].class));
        assertThat(file).doesNotExist();
    }

    /** Two files of its name (the gate refuses the second): which made it is not known, and both stay. */
    @Test
    void twoFilesOfTheNameOfAnUntoldConfigurationAreKeptAndAWarningSaysSo() throws IOException {
        ConfigSaveBack saveBack = saveBack();
        Path dash = write(etc, "msf.net.endpoint-echo.cfg", "handler = echo");
        Path tilde = write(etc, "msf.net.endpoint~echo.cfg", "handler = echo");

        saveBack.configurationEvent(event(ConfigurationEvent.CM_DELETED, "msf.net.endpoint~echo"));
        fileWorkDone();

        assertThat(dash).exists();
        assertThat(tilde).exists();
        verify(log).warn(contains("which one it came from is not known"), contains("etc/msf.net.endpoint-echo.cfg"),
                eq("msf.net.endpoint~echo"));
    }

    /** Made again from its file before the deletion's file work ran (msf:undeploy, then msf:deploy): kept. */
    @Test
    void theFileOfAnUntoldConfigurationMadeAgainIsKept() throws IOException {
        ConfigSaveBack saveBack = saveBack();
        Path file = write(etc, "org.example.cfg", "size = 3");
        saveBack.configurationEvent(event(ConfigurationEvent.CM_DELETED, "org.example"));
        madeFrom(file, "org.example", Map.of("size", "3"));

        fileWorkDone();

        assertThat(file).exists();
        nothingSaid();
    }

    /** Deleted and not from a file: no file of its name, nothing to do. */
    @Test
    void aConfigurationOfNoFileIsNothingToDo() throws IOException {
        write(etc, "org.example.other.cfg", "size = 3");
        ConfigSaveBack saveBack = saveBack();

        saveBack.configurationEvent(event(ConfigurationEvent.CM_DELETED, "org.example"));
        saveBack.configurationEvent(event(ConfigurationEvent.CM_DELETED, "msf.demo|bundle|1.0.0|file:/x/demo.jar"));
        fileWorkDone();

        assertThat(etc.resolve("org.example.other.cfg")).exists();
        nothingSaid();
    }

    /**
     * The write-back's look at a change comes after the gate applied an edit of the file: the
     * configuration is the edit's, nothing came through Config Admin, and the file stays as edited.
     */
    @Test
    void aChangeLookedAtAfterTheFileWasEditedAndAppliedLeavesTheEdit() throws IOException {
        Path file = write(etc, "msf.log.cfg", "level = INFO");
        applied.applied(file, Map.of("level", "INFO"));
        Configuration configuration = madeFrom(file, "msf.log", Map.of("level", "DEBUG"));
        ConfigSaveBack saveBack = saveBack();
        saveBack.configurationEvent(event(ConfigurationEvent.CM_UPDATED, configuration.getPid()));
        List<String> edit = List.of("# the operator's edit", "level = WARN");
        Files.write(file, edit, StandardCharsets.ISO_8859_1);
        applied.applied(file, Map.of("level", "WARN"));
        stored.remove(configuration);
        madeFrom(file, "msf.log", Map.of("level", "WARN"));

        fileWorkDone();

        assertThat(file).hasContent(String.join("\n", edit));
        nothingSaid();
    }

    /**
     * A file the gate does not read (not msf's, or the gate disabled): what FileInstall applied from
     * it is not recorded, what the configuration held is.
     */
    @Test
    void aFileTheGateDidNotReadGoesWhenItSaysWhatItsConfigurationHeld() throws IOException {
        Path file = exampleDeletedThroughConfigAdmin(etc);

        assertThat(file).doesNotExist();
    }

    /** An edit not read yet, or one the gate refused: the operator's edit wins. */
    @Test
    void aFileEditedSinceItWasAppliedIsKeptAndAWarningSaysSo() throws IOException {
        Path file = write(etc, "msf.log.cfg", "level = INFO");
        applied.applied(file, Map.of("level", "INFO"));
        Configuration configuration = madeFrom(file, "msf.log", Map.of("level", "INFO"));
        ConfigSaveBack saveBack = saveBack();
        List<String> edit = List.of("# the operator's edit", "level = LOUD");
        Files.write(file, edit, StandardCharsets.ISO_8859_1);

        delete(saveBack, configuration);

        assertThat(file).hasContent(String.join("\n", edit));
        verify(log).warn(anyString(), eq("etc/msf.log.cfg"), eq("msf.log"));
        verify(log, never()).info(anyString(), any(), any());
    }

    @Test
    void aFileOutsideTheWatchedFolderIsKeptAndAWarningSaysSo() throws IOException {
        Path elsewhere = Files.createDirectories(home.resolve("conf"));
        Path file = exampleDeletedThroughConfigAdmin(elsewhere);

        assertThat(file).exists();
        verify(log).warn(anyString(), eq("conf/org.example.cfg"), eq("org.example"), eq("etc"));
    }

    /**
     * A configuration whose mark still names a file FileInstall no longer watches (the container
     * started with another felix.fileinstall.dir, or the assembly was copied with its data/, Config
     * Admin's store, and FileInstall found the copy's file saying the same): that file is another
     * installation's, or none FileInstall reads. The change goes into the file of the watched folder
     * named after the configuration, the one FileInstall makes it from now.
     */
    @Test
    void aChangeIsSavedIntoTheWatchedFileNotTheOneAnOldMarkNames() throws IOException {
        Path elsewhere = Files.createDirectories(home.resolve("original/etc"));
        Path old = write(elsewhere, "msf.log.cfg", "level = INFO");
        Path file = write(etc, "msf.log.cfg", "level = INFO");
        Configuration configuration = madeFrom(old, "msf.log", Map.of("level", "DEBUG"));
        ConfigSaveBack saveBack = saveBack();

        updated(saveBack, configuration);

        assertThat(old).hasContent("level = INFO");
        assertThat(file).content(StandardCharsets.ISO_8859_1).contains("level = DEBUG");
        verify(log).info(anyString(), eq("etc/msf.log.cfg"), eq("msf.log"));
    }

    /** None in the watched folder: nothing is saved, and a WARN line says why. */
    @Test
    void aChangeIsNotSavedIntoAFileOutsideTheWatchedFolderAndAWarningSaysSo() throws IOException {
        Path elsewhere = Files.createDirectories(home.resolve("original/etc"));
        Path old = write(elsewhere, "msf.log.cfg", "level = INFO");
        Configuration configuration = madeFrom(old, "msf.log", Map.of("level", "DEBUG"));
        ConfigSaveBack saveBack = saveBack();

        updated(saveBack, configuration);

        assertThat(old).hasContent("level = INFO");
        verify(log).warn(contains("outside the folders FileInstall watches"), eq("original/etc/msf.log.cfg"),
                eq("msf.log"), eq("etc"));
    }

    /** Deleted, it takes along the watched file named after it, not the one the old mark names. */
    @Test
    void aConfigurationWithAnOldMarkTakesItsWatchedFileAlong() throws IOException {
        Path elsewhere = Files.createDirectories(home.resolve("original/etc"));
        Path old = write(elsewhere, "msf.log.cfg", "level = INFO");
        Path file = write(etc, "msf.log.cfg", "level = INFO");
        applied.applied(file, Map.of("level", "INFO"));
        Configuration configuration = madeFrom(old, "msf.log", Map.of("level", "INFO"));
        ConfigSaveBack saveBack = saveBack();

        delete(saveBack, configuration);

        assertThat(old).exists();
        assertThat(file).doesNotExist();
        verify(log).info(anyString(), eq("etc/msf.log.cfg"), eq("msf.log"));
    }

    /** A mark that names a file of another kind was not made by FileInstall: such a file is never deleted. */
    @Test
    void aFileOfTheWatchedFolderThatIsNoConfigurationFileIsKept() throws IOException {
        Path file = write(etc, "config.properties", "size = 3");
        Configuration configuration = madeFrom(file, "org.example", Map.of("size", "3"));
        ConfigSaveBack saveBack = saveBack();

        delete(saveBack, configuration);

        assertThat(file).exists();
        verify(log).warn(anyString(), eq("etc/config.properties"), eq("org.example"), eq("etc"));
    }

    /**
     * A file key spelled through a link of the watched folder and {@code ..} (no FileInstall key is
     * spelled so; a configuration written through Config Admin may carry one): it names the file
     * the link leads beside, and that one is kept.
     */
    @Test
    void aFileReachedThroughALinkOfTheWatchedFolderAndDotDotIsKept() throws IOException {
        Path elsewhere = Files.createDirectories(home.resolve("conf/inner"));
        Files.createSymbolicLink(etc.resolve("link"), elsewhere);
        Path file = write(elsewhere.getParent(), "org.example.cfg", "size = 3");
        Configuration configuration = madeFrom(etc.resolve("link").resolve("..").resolve("org.example.cfg"),
                "org.example", Map.of("size", "3"));
        ConfigSaveBack saveBack = saveBack();

        delete(saveBack, configuration);

        assertThat(file).exists();
        verify(log).warn(anyString(), any(), eq("org.example"), eq("etc"));
        verify(log, never()).info(anyString(), any(), any());
    }

    /** FileInstall watches each folder of a comma-separated list, trimmed: a file directly in any of them goes. */
    @Test
    void aFileOfAnyOfTheWatchedFoldersTakesItsFileAlong() throws IOException {
        Path conf = Files.createDirectories(home.resolve("conf"));
        when(context.getProperty("felix.fileinstall.dir")).thenReturn(etc + ", " + conf);
        Path file = exampleDeletedThroughConfigAdmin(conf);

        assertThat(file).doesNotExist();
        verify(log).info(anyString(), eq("conf/org.example.cfg"), eq("org.example"));
    }

    /** FileInstall takes a single folder as written, a trailing space included: it then watches no etc/. */
    @Test
    void aSingleWatchedFolderIsTakenAsWritten() throws IOException {
        when(context.getProperty("felix.fileinstall.dir")).thenReturn(etc + " ");
        Path file = exampleDeletedThroughConfigAdmin(etc);

        assertThat(file).exists();
        verify(log).warn(anyString(), eq("etc/org.example.cfg"), eq("org.example"), eq("etc "));
    }

    /** Without the framework property FileInstall reads its system property FELIX_FILEINSTALL_DIR. */
    @Test
    void withoutTheFrameworkPropertyTheWatchedFolderIsFileInstallsSystemProperty() throws IOException {
        when(context.getProperty("felix.fileinstall.dir")).thenReturn(null);
        System.setProperty("FELIX_FILEINSTALL_DIR", etc.toString());
        Path file;
        try {
            file = exampleDeletedThroughConfigAdmin(etc);
        } finally {
            System.clearProperty("FELIX_FILEINSTALL_DIR");
        }

        assertThat(file).doesNotExist();
    }

    /**
     * A tool that deletes a file and writes it again (rm then cp, a checkout): FileInstall saw it
     * gone and the gate had its configuration deleted; the file is back, not applied yet, when the
     * deletion's event arrives. It is the operator's file, not a deletion made through Config Admin.
     */
    @Test
    void aFilePutBackAfterFileInstallSawItGoneIsKept() throws IOException {
        Path file = write(etc, "msf.service~echo.cfg", "location = echo.jar");
        applied.applied(file, Map.of("location", "echo.jar"));
        Configuration configuration = madeFrom(file, "msf.service~echo", Map.of("location", "echo.jar"));
        ConfigSaveBack saveBack = saveBack();
        applied.removedWithItsConfiguration(file); // the gate, told by FileInstall that the file went
        write(etc, "msf.service~echo.cfg", "location = echo.jar");

        delete(saveBack, configuration);

        assertThat(file).exists();
        nothingSaid();
    }

    /** A libmsf process file holds several services: one deleted is not a reason to delete the others. */
    @Test
    void aJsonFileThatStillDefinesTheServiceIsKeptAndAWarningSaysSo() throws IOException {
        Path file = write(etc, "media.json", """
                {"proc_name": "media", "proc_svcs": [
                  {"svc_name": "dlna", "svc_libs": "libdlna.so"},
                  {"svc_name": "upnp", "svc_libs": "libupnp.so"}]}""");
        Configuration dlna = madeFromJson(file, "dlna");
        madeFromJson(file, "upnp");
        ConfigSaveBack saveBack = saveBack();

        delete(saveBack, dlna);

        assertThat(file).exists();
        verify(log).warn(anyString(), eq("etc/media.json"), eq("dlna"), eq("msf.service~dlna"));
    }

    /**
     * A libmsf process file edited into something that does not parse: the gate refuses it, so it
     * is not read; it is kept as it is, and the operator is told why the deletion did not reach it.
     */
    @Test
    void aJsonFileThatDoesNotParseIsKeptAndAWarningSaysWhy() throws IOException {
        Path file = write(etc, "media.json", """
                {"proc_name": "media", "proc_svcs": [
                  {"svc_name": "dlna", "svc_libs": "libdlna.so"},
                  {"svc_name": "upnp", "svc_libs": "libupnp.so"},
                ]}""");
        String edited = Files.readString(file);
        Configuration dlna = madeFromJson(file, "dlna");
        ConfigSaveBack saveBack = saveBack();

        delete(saveBack, dlna);

        assertThat(file).hasContent(edited);
        verify(log).warn(anyString(), eq("etc/media.json"), eq("msf.service~dlna"),
                eq("line 4: is not valid JSON: a comma before ']' (JSON allows no trailing comma)"), eq("dlna"));
        verify(log, never()).info(anyString(), any(), any());
    }

    /** A libmsf process file whose service dlna has a parameter below its Metatype's minimum (line 3). */
    private Path mediaJsonWithAParameterOutOfRange() throws IOException {
        describedBy("service.xml", "demo.xml");
        return write(etc, "media.json", """
                {"proc_name": "media", "proc_svcs": [
                  {"svc_name": "dlna", "svc_libs": "libdlna.so", "svc_pid": "msf.demo",
                   "svc_params": {"interval": 1}}]}""");
    }

    /** One that parses but that the gate refuses: the deleted service's parameter is out of its Metatype's range. */
    @Test
    void aJsonFileTheGateRefusesIsKeptAndAWarningSaysWhy() throws IOException {
        Path file = mediaJsonWithAParameterOutOfRange();
        Configuration dlna = madeFromJson(file, "dlna");
        ConfigSaveBack saveBack = saveBack();

        delete(saveBack, dlna);

        assertThat(file).exists();
        verify(log).warn(anyString(), eq("etc/media.json"), eq("msf.service~dlna"), eq("line 3: key 'param.interval':"
                + " '1' is less than minimum (Milliseconds between two calls.) (a parameter of msf.demo)"), eq("dlna"));
    }

    /**
     * With the gate disabled a parameter out of range is applied: the file is not refused, and the
     * line says the file still defines the service, as it does for a valid file.
     */
    @Test
    void withTheGateDisabledAJsonFileWithAParameterOutOfRangeStillDefinesTheService() throws IOException {
        Path file = mediaJsonWithAParameterOutOfRange();
        Configuration dlna = madeFromJson(file, "dlna");
        ConfigGate gate = new ConfigGate(gateEnabled(true), context, metatype, configAdmin, applied, gateSwitch,
                mock(Logger.class));
        gate.modified(gateEnabled(false));
        ConfigSaveBack saveBack = saveBack();

        delete(saveBack, dlna);

        assertThat(file).exists();
        verify(log).warn(anyString(), eq("etc/media.json"), eq("dlna"), eq("msf.service~dlna"));
    }

    private static GateConfiguration gateEnabled(boolean enabled) {
        GateConfiguration config = mock(GateConfiguration.class);
        when(config.enabled()).thenReturn(enabled);
        return config;
    }

    private Path xml(String name, String key, String value) throws IOException {
        return write(etc, name, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<!DOCTYPE properties SYSTEM \"http://java.sun.com/dtd/properties.dtd\">",
                "<properties><entry key=\"" + key + "\">" + value + "</entry></properties>");
    }

    /** A file the gate does not read (not msf's): FileInstall applies it at every start, which is no change. */
    @Test
    void theOwnConfigurationOfAnXmlFileArrivingIsNothingToSay() throws IOException {
        Path file = xml("org.example.cfg", "size", "3");
        Configuration configuration = madeFrom(file, "org.example", Map.of("size", "3"));
        ConfigSaveBack saveBack = saveBack();

        updated(saveBack, configuration);

        nothingSaid();
    }

    @Test
    void aChangeOfAnXmlFilesConfigurationIsNotSavedAndAWarningSaysSo() throws IOException {
        Path file = xml("msf.timer.cfg", "tickMillis", "10");
        byte[] before = Files.readAllBytes(file);
        applied.applied(file, Map.of("tickMillis", "10"));
        Configuration configuration = madeFrom(file, "msf.timer", Map.of("tickMillis", "20"));
        ConfigSaveBack saveBack = saveBack();

        updated(saveBack, configuration);

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        verify(log).warn(anyString(), eq("etc/msf.timer.cfg"), eq("msf.timer"));
        verify(log, never()).error(anyString(), any(Object[].class));
    }

    /** The upnp service of a libmsf process file, as the gate makes it from that file, with {@code changes}. */
    private Configuration upnpOfMediaJson(Map<String, Object> changes) throws Exception {
        Path file = write(etc, "media.json", """
                {"proc_name": "media", "proc_svcs": [
                  {"svc_name": "dlna", "svc_libs": "libdlna.so"},
                  {"svc_name": "upnp", "svc_libs": "libupnp.so", "svc_pid": "msf.demo.upnp",
                   "svc_params": {"intervalMillis": 2000}}]}""");
        JsonConfigs.Entry upnp = JsonConfigs.read("media.json", JsonReader.read(Files.readString(file))).entries()
                .stream().filter(entry -> entry.name().equals("upnp")).findFirst().orElseThrow();
        Map<String, Object> values = new HashMap<>(upnp.values());
        values.putAll(changes);
        return stored("msf.service~upnp", values, JsonServiceFiles.MARK, file);
    }

    /** The gate applying a .json file updates its configurations: no change anyone made through Config Admin. */
    @Test
    void theOwnConfigurationOfAJsonFileArrivingIsNothingToSay() throws Exception {
        Configuration upnp = upnpOfMediaJson(Map.of());
        ConfigSaveBack saveBack = saveBack();

        updated(saveBack, upnp);

        nothingSaid();
    }

    /**
     * msf:param set of a service a .json file defines: the change applies but is not saved, and the
     * command tells the operator that a WARN line says when it is not; none did.
     */
    @Test
    void aChangeOfAJsonFilesConfigurationIsNotSavedAndAWarningSaysSo() throws Exception {
        Configuration upnp = upnpOfMediaJson(Map.of("param.intervalMillis", 1000));
        byte[] before = Files.readAllBytes(etc.resolve("media.json"));
        ConfigSaveBack saveBack = saveBack();

        updated(saveBack, upnp);

        assertThat(Files.readAllBytes(etc.resolve("media.json"))).isEqualTo(before);
        verify(log).warn(contains("a .json file is not written back"), eq("etc/media.json"), eq("msf.service~upnp"));
        verify(log, never()).error(anyString(), any(Object[].class));
    }

    /**
     * A value past the gate's bounds, set through Config Admin directly (the component may refuse it
     * too): saved, it made the gate refuse the whole file at the next start, and nothing of it applied.
     */
    @Test
    void aChangeTheGateWouldRefuseIsNotSavedAndAWarningSaysWhy() throws IOException {
        describedBy("service.xml", "demo.xml");
        Path file = write(etc, "msf.demo.cfg", "interval = 2000");
        applied.applied(file, Map.of("interval", 2000));
        Configuration configuration = madeFrom(file, "msf.demo", Map.of("interval", 5));
        ConfigSaveBack saveBack = saveBack();

        updated(saveBack, configuration);

        assertThat(file).content(StandardCharsets.ISO_8859_1).isEqualTo("interval = 2000\n");
        verify(log).warn(anyString(), eq("etc/msf.demo.cfg"), eq("msf.demo"), contains("interval: "));
        verify(log, never()).info(anyString(), any(), any());
    }

    @Test
    void aChangeMadeThroughConfigAdminIsSavedAndTheLineNamesTheFileAsOperatorsKnowIt() throws IOException {
        Path file = write(etc, "msf.log.cfg", "level = INFO");
        applied.applied(file, Map.of("level", "INFO"));
        Configuration configuration = madeFrom(file, "msf.log", Map.of("level", "DEBUG"));
        ConfigSaveBack saveBack = saveBack();

        updated(saveBack, configuration);

        assertThat(file).content(StandardCharsets.ISO_8859_1).contains("level = DEBUG");
        verify(log).info(anyString(), eq("etc/msf.log.cfg"), eq("msf.log"));
    }

    /** An operator's chmod a-w says the file is not to be changed: the change applies, unsaved. */
    @Test
    void aChangeIsNotSavedIntoAReadOnlyFileAndAWarningSaysSo() throws IOException {
        Path file = write(etc, "msf.log.cfg", "level = INFO");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        applied.applied(file, Map.of("level", "INFO"));
        Configuration configuration = madeFrom(file, "msf.log", Map.of("level", "DEBUG"));
        ConfigSaveBack saveBack = saveBack();

        updated(saveBack, configuration);

        assertThat(file).hasContent("level = INFO");
        verify(log).warn(contains("read-only"), eq("etc/msf.log.cfg"), eq("msf.log"));
    }

    /** Nor is such a file deleted with its configuration: it makes it again, and a WARN line says so. */
    @Test
    void aReadOnlyFileIsNotDeletedWithItsConfigurationAndAWarningSaysSo() throws IOException {
        Path file = write(etc, "msf.log.cfg", "level = INFO");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        applied.applied(file, Map.of("level", "INFO"));
        Configuration configuration = madeFrom(file, "msf.log", Map.of("level", "INFO"));
        ConfigSaveBack saveBack = saveBack();

        delete(saveBack, configuration);

        assertThat(file).exists();
        verify(log).warn(contains("read-only"), eq("etc/msf.log.cfg"), eq("msf.log"));
    }

    /**
     * A file the gate does not read (not msf's): what FileInstall applied from it is not recorded,
     * but what its configuration held before the change is. A file that says neither that nor the
     * change was edited since (an edit FileInstall has not read yet): the edit wins there too.
     */
    @Test
    void aChangeIsNotSavedOverAnEditNotReadYetOfAFileTheGateDoesNotRead() throws IOException {
        Path file = write(etc, "org.example.cfg", "size = 3");
        Configuration configuration = madeFrom(file, "org.example", Map.of("size", "3"));
        ConfigSaveBack saveBack = saveBack();
        Files.write(file, List.of("# the operator's edit", "size = 4"), StandardCharsets.ISO_8859_1);
        stored.remove(configuration);
        Configuration changed = madeFrom(file, "org.example", Map.of("size", "5"));

        updated(saveBack, changed);

        assertThat(file).hasContent("# the operator's edit\nsize = 4");
        verify(log).warn(contains("edited since"), eq("etc/org.example.cfg"), eq("org.example"));
    }

    /** A change not saved leaves the file as it was: not an edit, and the next change is saved over it. */
    @Test
    void aChangeAfterOneNotSavedIsSaved() throws IOException {
        Path file = write(etc, "org.example.config", "size = I\"3\"");
        Configuration configuration = madeFrom(file, "org.example", Map.of("size", 3));
        ConfigSaveBack saveBack = saveBack();
        stored.remove(configuration);
        Configuration notSaved = madeFrom(file, "org.example", Map.of("size", 3, "dir", "C:\\data"));
        updated(saveBack, notSaved);
        stored.remove(notSaved);

        updated(saveBack, madeFrom(file, "org.example", Map.of("size", 4)));

        assertThat(file).hasContent("size = I\"4\"");
        verify(log).info(anyString(), eq("etc/org.example.config"), eq("org.example"));
    }

    /** Saved, a value FileInstall reads back as another would be lost at the file's next reading. */
    @Test
    void aChangeThatWouldNotReadBackIsNotSavedAndAWarningNamesTheKey() throws IOException {
        Path file = write(etc, "org.example.config", "size = I\"3\"");
        applied.applied(file, Map.of("size", 3));
        Configuration configuration = madeFrom(file, "org.example", Map.of("size", 3, "dir", "C:\\data"));
        ConfigSaveBack saveBack = saveBack();

        updated(saveBack, configuration);

        assertThat(file).hasContent("size = I\"3\"");
        verify(log).warn(contains("FileInstall would read"), eq("etc/org.example.config"), eq("org.example"),
                eq("dir (read back as 'C:data')"));
    }

    /** The warning quoted what a password would read back as, as it quotes any other value. */
    @Test
    void aPasswordThatWouldNotReadBackIsNotRepeatedInTheWarning() throws IOException {
        Bundle logBundle = mock(Bundle.class);
        when(context.getBundles()).thenReturn(new Bundle[] {logBundle});
        MetaTypeInformation info = mock(MetaTypeInformation.class);
        when(info.getPids()).thenReturn(new String[] {"msf.log"});
        when(info.getObjectClassDefinition("msf.log", null))
                .thenReturn(TestMetatype.load("log.xml").apply("msf.log").orElseThrow().ocd());
        when(metatype.getMetaTypeInformation(logBundle)).thenReturn(info);
        Path file = write(etc, "msf.log.config", "level = \"WARN\"");
        applied.applied(file, Map.of("level", "WARN"));
        Configuration configuration = madeFrom(file, "msf.log", Map.of("level", "WARN", "secret", "hunter\\22"));
        ConfigSaveBack saveBack = saveBack();

        updated(saveBack, configuration);

        assertThat(file).hasContent("level = \"WARN\"");
        verify(log).warn(contains("FileInstall would read"), eq("etc/msf.log.config"), eq("msf.log"),
                eq("secret (read back as another password)"));
    }

    /**
     * A file edited since into one whose password's {@code \\u} is not followed by four hex digits (the gate
     * refused it) cannot be read for the save: the reader's message quoted the four characters after the
     * {@code \\u}, part of the password, into the ERROR line.
     */
    @Test
    void aPasswordOfAFileThatCannotBeReadIsNotRepeatedInTheError() throws IOException {
        describedByLog();
        Path file = write(etc, "msf.log.cfg", "level = WARN", "secret = hunt\\uer2hunter2");
        applied.applied(file, Map.of("level", "WARN", "secret", "hunter22"));
        Configuration configuration = madeFrom(file, "msf.log", Map.of("level", "INFO", "secret", "hunter22"));
        ConfigSaveBack saveBack = saveBack();

        updated(saveBack, configuration);

        verify(log).error(anyString(), eq("etc/msf.log.cfg"), eq("msf.log"), contains("the password has a \\u escape"));
        verify(log, never()).error(anyString(), any(), any(), contains("er2h"));
    }

    /**
     * The deletion of a configuration whose file was edited since into one whose password's {@code \\u} is
     * not followed by four hex digits: the file, which cannot be read, is kept, and the ERROR line repeated
     * the reader's message, with the four characters after the {@code \\u}, part of the password.
     */
    @Test
    void aPasswordOfAFileThatCannotBeReadIsNotRepeatedInTheErrorOfItsDeletion() throws IOException {
        describedByLog();
        Path file = write(etc, "msf.log.cfg", "level = WARN", "secret = hunter22");
        applied.applied(file, Map.of("level", "WARN", "secret", "hunter22"));
        Configuration configuration = madeFrom(file, "msf.log", Map.of("level", "WARN", "secret", "hunter22"));
        ConfigSaveBack saveBack = saveBack();
        write(etc, "msf.log.cfg", "level = WARN", "secret = hunt\\uer2hunter2");

        delete(saveBack, configuration);

        assertThat(file).exists();
        verify(log).error(anyString(), eq("etc/msf.log.cfg"), eq("msf.log"), contains("the password has a \\u escape"));
        verify(log, never()).error(anyString(), any(), any(), contains("er2h"));
    }

    // What follows the write-back must leave alone; the code before it deleted no file at all.

    /** FileInstall deleting the configuration of a deleted file, or msf:undeploy deleting the file first. */
    @Test
    void aConfigurationWhoseFileIsGoneAlreadyIsNothingToDo() throws IOException {
        Path file = write(etc, "msf.service~echo.cfg", "location = echo.jar");
        applied.applied(file, Map.of("location", "echo.jar"));
        Configuration configuration = madeFrom(file, "msf.service~echo", Map.of("location", "echo.jar"));
        ConfigSaveBack saveBack = saveBack();
        Files.delete(file);

        delete(saveBack, configuration);

        nothingSaid();
    }

    /** msf:undeploy then msf:deploy of the same service, the new file applied before the event arrives. */
    @Test
    void aFileAConfigurationIsMadeFromAgainIsKept() throws IOException {
        Path file = write(etc, "msf.service~echo.cfg", "location = echo.jar");
        applied.applied(file, Map.of("location", "echo.jar"));
        Configuration undeployed = madeFrom(file, "msf.service~echo", Map.of("location", "echo.jar"));
        ConfigSaveBack saveBack = saveBack();
        Files.delete(file);
        stored.remove(undeployed);
        write(etc, "msf.service~echo.cfg", "location = echo.jar");
        madeFrom(file, "msf.service~echo", Map.of("location", "echo.jar"));

        saveBack.configurationEvent(event(ConfigurationEvent.CM_DELETED, "msf.service~echo"));
        fileWorkDone();

        assertThat(file).exists();
        nothingSaid();
    }

    /** The gate applying a changed .json file deletes the services the file no longer has. */
    @Test
    void aServiceItsJsonFileNoLongerDefinesIsNothingToDo() throws IOException {
        Path file = write(etc, "media.json", """
                {"proc_name": "media", "proc_svcs": [{"svc_name": "upnp", "svc_libs": "libupnp.so"}]}""");
        Configuration dlna = madeFromJson(file, "dlna");
        ConfigSaveBack saveBack = saveBack();

        delete(saveBack, dlna);

        assertThat(file).exists();
        nothingSaid();
    }

    @Test
    void withTheWriteBackOffTheFileIsKept() throws IOException {
        when(context.getProperty(ConfigSaveBack.SAVE)).thenReturn("false");
        Path file = write(etc, "msf.log.cfg", "level = INFO");
        applied.applied(file, Map.of("level", "INFO"));
        Configuration configuration = madeFrom(file, "msf.log", Map.of("level", "INFO"));
        ConfigSaveBack saveBack = new ConfigSaveBack(context, configAdmin, metatype, applied, gateSwitch, gate(), log, fileWork::add);

        delete(saveBack, configuration);

        assertThat(file).exists();
    }

    /**
     * FileInstall takes its switch as Boolean.valueOf does: "true " (a space after it, kept by
     * config.properties) is false, so FileInstall does not save, and this write-back must.
     */
    @Test
    void fileInstallsSwitchNotExactlyTrueLeavesTheWriteBackToMsf() {
        when(context.getProperty("felix.fileinstall.enableConfigSave")).thenReturn("true ");

        ConfigSaveBack saveBack = new ConfigSaveBack(context, configAdmin, metatype, applied, gateSwitch, gate(), log, fileWork::add);

        assertThat(saveBack.enabled()).isTrue();
        verify(log, never()).warn(anyString(), any(Object.class));
    }

    @Test
    void anEncodingTheJvmDoesNotKnowIsRefusedNamingTheProperty() {
        when(context.getProperty("felix.fileinstall.configEncoding")).thenReturn("UTF-9");

        assertThatThrownBy(() -> new ConfigSaveBack(context, configAdmin, metatype, applied, gateSwitch, gate(), log, fileWork::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("felix.fileinstall.configEncoding = 'UTF-9': the JVM knows no such charset"
                        + " (FileInstall cannot read a configuration file either)");
    }
}
