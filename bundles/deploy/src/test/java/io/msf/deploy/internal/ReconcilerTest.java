package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.config.api.ConfigProblem;
import io.msf.config.api.ConfigValidation;
import io.msf.files.FileInstallFolders;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.log.Logger;

/** The deployer as DS brings it up: its constructor, then the optional references there, then {@code activate}. */
class ReconcilerTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path data;

    private final BundleContext context = mock(BundleContext.class);
    private final Bundle framework = mock(Bundle.class);
    private final Logger log = mock(Logger.class);
    private final ConfigurationAdmin configAdmin = mock(ConfigurationAdmin.class);
    private Reconciler deployer;

    @AfterEach
    void deactivate() throws InterruptedException {
        if (deployer != null) {
            deployer.stop();
        }
    }

    /**
     * Activated in a running framework, the deployer deletes the records of services nothing names.
     * A service whose file the config gate refuses is named by that file, and the gate is a dynamic
     * reference, set only after the constructor: nothing is deleted before it is there.
     */
    @Test
    void theCleanUpWaitsForTheConfigGateSetAfterTheConstructor() throws Exception {
        Path records = Files.createDirectories(data.resolve("deploy").resolve("last-good"));
        Files.writeString(records.resolve("typo.record"), "kept while etc/msf.service~typo.cfg is refused\n");
        Files.writeString(records.resolve("gone.record"), "named by nothing\n");
        deployer = constructedAsByDs();
        // DS sets the references only now: first let all the constructor handed to the deployer's thread run
        ranAllHandedOver();
        assertThat(records.resolve("gone.record")).as("nothing deleted before activate").exists();

        ConfigValidation gate = () -> List.of(new ConfigProblem("etc/msf.service~typo.cfg", "msf.service~typo",
                "location", 1, "is missing", Instant.EPOCH));
        var field = Reconciler.class.getDeclaredField("gate");
        field.setAccessible(true);
        field.set(deployer, gate);
        deployer.activate();

        ranAllHandedOver();
        assertThat(records.resolve("gone.record")).doesNotExist();
        assertThat(records.resolve("typo.record")).exists();
    }

    /**
     * DS sets the optional references (health checks, the agent's routes, Event Admin, the gate)
     * after the constructor: the deployer hears of nothing and hands its thread nothing before its
     * activate method, so that no install, swap or clean-up runs without them.
     */
    @Test
    void nothingStartsBeforeActivate() throws Exception {
        deployer = constructedAsByDs();
        verify(context, never()).addBundleListener(any());
        verify(context, never()).registerService(eq(ConfigurationListener.class), any(ConfigurationListener.class), any());

        deployer.activate();
        verify(context).addBundleListener(any(StopDrain.class)); // the drain as the container stops
        verify(context, times(2)).addBundleListener(any()); // and the changes of the services' bundles
        verify(context).registerService(eq(ConfigurationListener.class), any(ConfigurationListener.class), any());
        ranAllHandedOver();
        verify(context).getBundles(); // the running services adopted
    }

    /**
     * What the take-over of the bundles a deployer before this one installed throws (here: a bundle
     * uninstalled as it was read, which has no start level any more) is logged: the deployer's thread
     * is a scheduled executor's, which keeps it to itself.
     */
    @Test
    void aTakeOverThatThrowsIsLogged() throws Exception {
        Bundle uninstalledMeanwhile = mock(Bundle.class);
        when(uninstalledMeanwhile.getLocation()).thenReturn("msf.service:demo#1/0:repo/demo-1.0.0.jar");
        when(uninstalledMeanwhile.getVersion()).thenReturn(new Version(1, 0, 0));
        deployer = constructedAsByDs();
        when(context.getBundles()).thenReturn(new Bundle[] {uninstalledMeanwhile});
        deployer.activate();
        ranAllHandedOver();
        verify(log).error(eq("deployer: {} failed: {}"), eq("the take-over of the service bundles installed before it"),
                any(), any(NullPointerException.class));
    }

    /**
     * The clean-up at the start cannot tell what a refused libmsf process file configures, so it
     * deletes nothing; once the file is valid its services' configurations are made, and that change
     * of a source has the clean-up run again.
     */
    @Test
    void aCleanUpTheStartCouldNotDoRunsOnceAServiceSourceChanges() throws Exception {
        Path records = Files.createDirectories(data.resolve("deploy").resolve("last-good"));
        Files.writeString(records.resolve("gone.record"), "named by nothing\n");
        AtomicReference<List<ConfigProblem>> refused = new AtomicReference<>(List.of(new ConfigProblem(
                "etc/media.json", "", "proc_svcs", 4, "is not valid JSON", Instant.EPOCH)));
        ConfigurationListener sources = activate(refused::get);
        assertThat(records.resolve("gone.record")).as("what media.json configures cannot be told").exists();

        refused.set(List.of());
        sources.configurationEvent(new ConfigurationEvent(mock(ServiceReference.class), ConfigurationEvent.CM_UPDATED,
                ServiceSpecs.FACTORY_PID, ServiceSpecs.FACTORY_PID + "~media-a"));
        ranAllHandedOver();
        assertThat(records.resolve("gone.record")).doesNotExist();
    }

    /**
     * A jar lying in a watched folder names its service at the start, before FileInstall hands it
     * over; deleted before that, FileInstall never reports it. The next change of a source has the
     * clean-up run again.
     */
    @Test
    void aRecordKeptForAJarThatWentUnreportedGoesAtTheNextChangeOfASource() throws Exception {
        Path watched = Files.createDirectories(data.resolve("load"));
        Path jar = bundleJar(watched.resolve("dropped-1.0.0.jar"), "dropped");
        when(context.getProperty("felix.fileinstall.dir")).thenReturn(watched.toString());
        Path records = Files.createDirectories(data.resolve("deploy").resolve("last-good"));
        Files.writeString(records.resolve("dropped.record"), "named by its jar\n");
        ConfigurationListener sources = activate(List::of);
        assertThat(records.resolve("dropped.record")).as("its jar lies in a watched folder").exists();

        Files.delete(jar);
        sources.configurationEvent(new ConfigurationEvent(mock(ServiceReference.class), ConfigurationEvent.CM_DELETED,
                ServiceSpecs.FACTORY_PID, ServiceSpecs.FACTORY_PID + "~other"));
        ranAllHandedOver();
        assertThat(records.resolve("dropped.record")).doesNotExist();
    }

    /** Before the container runs at its own level (a warm spare not promoted yet), a change of a source deletes nothing. */
    @Test
    void beforeTheContainerRunsAChangeOfASourceDeletesNoRecord() throws Exception {
        Path records = Files.createDirectories(data.resolve("deploy").resolve("last-good"));
        Files.writeString(records.resolve("gone.record"), "named by nothing\n");
        when(framework.getState()).thenReturn(Bundle.STARTING);
        ConfigurationListener sources = activate(List::of);

        sources.configurationEvent(new ConfigurationEvent(mock(ServiceReference.class), ConfigurationEvent.CM_DELETED,
                ServiceSpecs.FACTORY_PID, ServiceSpecs.FACTORY_PID + "~gone"));
        deployer.uninstall(data.resolve("load").resolve("gone.jar").toFile());
        ranAllHandedOver();
        assertThat(records.resolve("gone.record")).exists();
    }

    /**
     * msf:deploy with a key the config gate refuses (here a parameter given without its {@code param.}
     * prefix) wrote the file all the same: the gate refused it, and the command waited 10 s for a
     * service that did not come, saying only to look at config:rejected.
     */
    @Test
    void aDeployTheGateWouldRefuseWritesNothingAndSaysWhy() throws Exception {
        Path etc = Files.createDirectories(data.resolve("etc"));
        when(context.getProperty(FileInstallFolders.WATCHED_DIR)).thenReturn(etc.toString());
        List<Map<String, ?>> asked = new ArrayList<>();
        activate(new ConfigValidation() {
            @Override
            public List<ConfigProblem> rejected() {
                return List.of();
            }

            @Override
            public List<ConfigProblem> check(String pid, Map<String, ?> properties) {
                asked.add(Map.copyOf(properties));
                return List.of(new ConfigProblem("", pid, "intervalMillis", 0, "unknown key", Instant.EPOCH));
            }
        });

        assertThatThrownBy(() -> deployer.deploy("upnp", "msf-upnp.jar", Map.of("intervalMillis", "1000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key 'intervalMillis': unknown key; nothing written");
        assertThat(etc).isEmptyDirectory();
        assertThat(asked).containsExactly(Map.of("location", "msf-upnp.jar", "intervalMillis", "1000"));
    }

    /** The setting replaced the location given first without a word: another jar was deployed. */
    @Test
    void aDeployGivenTwoLocationsIsRefusedAndWritesNothing() throws Exception {
        Path etc = Files.createDirectories(data.resolve("etc"));
        when(context.getProperty(FileInstallFolders.WATCHED_DIR)).thenReturn(etc.toString());
        activate(List::of);

        assertThatThrownBy(() -> deployer.deploy("upnp", "msf-upnp.jar", Map.of("location", "other.jar")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two locations for upnp: msf-upnp.jar, and location=other.jar among the settings; give"
                        + " one; nothing written");
        assertThat(etc).isEmptyDirectory();
    }

    @Test
    void aDeployTheGateAcceptsIsWrittenToTheWatchedFolder() throws Exception {
        Path etc = Files.createDirectories(data.resolve("etc"));
        when(context.getProperty(FileInstallFolders.WATCHED_DIR)).thenReturn(etc.toString());
        activate(List::of);

        assertThat(deployer.deploy("upnp", "msf-upnp.jar", Map.of("param.intervalMillis", "1000")))
                .isEqualTo("written to " + etc.resolve("msf.service~upnp.cfg"));
        assertThat(etc.resolve("msf.service~upnp.cfg")).content()
                .contains("location=msf-upnp.jar").contains("param.intervalMillis=1000");
    }

    /**
     * msf:deploy of a service already configured said 'configuration written to <file>' while it had
     * only replaced the configuration in Config Admin: the config write-back saves it into the file
     * afterwards, and leaves a read-only or meanwhile edited file as it is, whose values then come back.
     */
    @Test
    void aDeployOfAConfiguredServiceSaysItIsReplacedNotWritten() throws Exception {
        Path etc = Files.createDirectories(data.resolve("etc"));
        Path file = Files.writeString(etc.resolve("msf.service~upnp.cfg"), "location = msf-upnp.jar\n");
        when(context.getProperty(FileInstallFolders.WATCHED_DIR)).thenReturn(etc.toString());
        Configuration upnp = mock(Configuration.class);
        when(upnp.getPid()).thenReturn(ServiceSpecs.FACTORY_PID + "~upnp");
        when(upnp.getProperties()).thenReturn(new Hashtable<>(Map.of("location", "msf-upnp.jar",
                ServiceConfigs.FILENAME, file.toUri().toString())));
        when(configAdmin.listConfigurations(any())).thenReturn(new Configuration[] {upnp});
        activate(List::of);

        assertThat(deployer.deploy("upnp", "msf-upnp.jar", Map.of("param.intervalMillis", "1000")))
                .isEqualTo("replaced in Config Admin; the config write-back saves it into " + file
                        + " unless a WARN line of log:tail says it is not");
    }

    /**
     * msf:deploy of a service with no configuration wrote its file over the one lying there, which
     * the config gate had refused (or FileInstall had not read yet): the operator's file, keys and
     * comments, was lost without a word. It is refused naming the file, which is left as it is.
     */
    @Test
    void aDeployDoesNotWriteOverAFileOfTheServiceThatIsNotApplied() throws Exception {
        Path etc = Files.createDirectories(data.resolve("etc"));
        Path refused = Files.writeString(etc.resolve("msf.service~upnp.cfg"), "# the operator's\nlocation = msf-upnp.jar"
                + "\nstartLevel = soon\n");
        when(context.getProperty(FileInstallFolders.WATCHED_DIR)).thenReturn(etc.toString());
        activate(List::of);

        assertThatThrownBy(() -> deployer.deploy("upnp", "msf-upnp.jar", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(refused + " is there already, and not applied (config:rejected says why if the config gate"
                        + " refused it): fix or delete it; nothing written");
        assertThat(refused).content().contains("# the operator's", "startLevel = soon");
    }

    /**
     * msf:deploy's file was written with the umask's permissions, rw-r--r-- under the usual 022: every
     * user could read the service's parameters (a token, a password), which the deployer's own record
     * of them in data/ keeps owner-only. It is rw-------, whatever the umask.
     */
    @Test
    void aDeployWritesItsFileOwnerOnly() throws Exception {
        Path etc = Files.createDirectories(data.resolve("etc"));
        when(context.getProperty(FileInstallFolders.WATCHED_DIR)).thenReturn(etc.toString());
        activate(List::of);

        deployer.deploy("upnp", "msf-upnp.jar", Map.of("param.token", "secret"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve("msf.service~upnp.cfg"))))
                .isEqualTo("rw-------");
        assertThat(etc).as("no temporary file left").isDirectoryContaining("glob:**.cfg")
                .isDirectoryNotContaining("glob:**.tmp");
    }

    /**
     * A deployer killed between writing a file under its temporary name and renaming it into place
     * (kill -9, a power loss) left it there for good: the text of a new service's file in etc/, which
     * FileInstall ignores, a jar of the deploy folder half copied into data/deploy/, a last good state
     * half written. The next deployer removes them, and only them: a file of another name, a link, one
     * written within the last minute (a command of another container on the same folder) stay.
     */
    @Test
    void whatADeployerKilledHalfwayLeftIsRemovedAtTheNextStart() throws Exception {
        Path etc = Files.createDirectories(data.resolve("etc"));
        Path deployData = Files.createDirectories(data.resolve("deploy"));
        Path records = Files.createDirectories(deployData.resolve("last-good"));
        Instant old = Instant.now().minus(DeployLeftovers.MIN_AGE).minusSeconds(60);
        Path text = aged(etc.resolve(".msf.service~upnp.cfg.8301946283617364819.tmp"), old);
        Path copy = aged(deployData.resolve(".copy-42.jar"), old);
        Path record = aged(records.resolve("upnp.record.tmp"), old);
        Path recent = aged(etc.resolve(".msf.service~dlna.cfg.7.tmp"), Instant.now());
        Path operators = aged(etc.resolve(".notes.cfg.7.tmp"), old);
        Path ofSaveBack = aged(etc.resolve(".msf.log.cfg.7.saving"), old);
        Path link = Files.createSymbolicLink(etc.resolve(".msf.service~echo.cfg.9.tmp"), operators);
        // the link old too, as one left for years is: kept for being a link, not for being new
        Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(old), null, null);
        assertThat(Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS).toInstant())
                .isBefore(Instant.now().minus(DeployLeftovers.MIN_AGE));
        when(context.getProperty(FileInstallFolders.WATCHED_DIR)).thenReturn(etc.toString());

        activate(List::of);

        assertThat(text).doesNotExist();
        assertThat(copy).doesNotExist();
        assertThat(record).doesNotExist();
        assertThat(recent).exists();
        assertThat(operators).exists();
        assertThat(ofSaveBack).as("the config write-back's own, removed by it").exists();
        assertThat(link).isSymbolicLink();
        verify(log).info(eq("{}: removed, written by a deployer that was stopped before it put it into place"),
                eq(text.toString()));
    }

    private static Path aged(Path file, Instant modified) throws IOException {
        Files.writeString(file, "location = msf-upnp.jar\n");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(modified));
        return file;
    }

    /**
     * msf:deploy of a service a {@code .json} file defines replaced its configuration in Config Admin
     * alone, which no one writes back to that file, and said 'configuration written to
     * file:/.../etc/media.json': the file's old values came back at the next start or edit of it. It
     * is refused as msf:undeploy is, naming the file, and nothing is changed.
     */
    @Test
    void aDeployOfAServiceAJsonFileDefinesIsRefusedNamingTheFile() throws Exception {
        Path etc = Files.createDirectories(data.resolve("etc"));
        when(context.getProperty(FileInstallFolders.WATCHED_DIR)).thenReturn(etc.toString());
        when(context.getProperty("msf.home")).thenReturn(data.toString());
        Configuration dlna = mock(Configuration.class);
        when(dlna.getPid()).thenReturn(ServiceSpecs.FACTORY_PID + "~dlna");
        when(dlna.getProperties()).thenReturn(new Hashtable<>(Map.of("location", "msf-dlna.jar",
                ServiceConfigs.JSON_FILE, etc.resolve("media.json").toUri().toString())));
        when(configAdmin.listConfigurations(any())).thenReturn(new Configuration[] {dlna});
        activate(List::of);

        assertThatThrownBy(() -> deployer.deploy("dlna", "msf-dlna-2.jar", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("service dlna is defined in etc/media.json: change it in that file; nothing written");
        verify(dlna, never()).update(any());
        assertThat(etc).isEmptyDirectory();
    }

    /**
     * msf:update to another location kept the {@code version} key the configuration had for its
     * earlier one, which a jar of another version cannot have: the swap failed with 'key 'version':
     * ... holds version 2.0.0, the configuration asks for 1.0.0', the command giving no way to drop
     * the key. It is kept only where it still chooses the jar: for mvn: locations without a version.
     */
    @Test
    void anUpdateToAnotherLocationDropsTheVersionOfTheEarlierOne() throws Exception {
        AtomicReference<Map<String, Object>> written = new AtomicReference<>();
        Configuration echo = mock(Configuration.class);
        when(echo.getPid()).thenReturn(ServiceSpecs.FACTORY_PID + "~echo");
        when(echo.getProperties()).thenAnswer(call -> new Hashtable<>(written.get() != null ? written.get()
                : Map.of("location", "mvn:io.example/echo", "version", "1.0.0", "param.greeting", "hello")));
        org.mockito.Mockito.doAnswer(call -> {
            java.util.Dictionary<String, Object> properties = call.getArgument(0);
            written.set(java.util.Collections.list(properties.keys()).stream()
                    .collect(java.util.stream.Collectors.toMap(key -> key, properties::get)));
            return null;
        }).when(echo).update(any());
        when(configAdmin.listConfigurations(any())).thenReturn(new Configuration[] {echo});
        activate(List::of);

        deployer.update("echo", "mvn:io.example/echo");
        assertThat(written.get()).containsEntry("version", "1.0.0");
        deployer.update("echo", "file:/opt/echo-2.0.0.jar");
        assertThat(written.get()).doesNotContainKey("version")
                .containsEntry("location", "file:/opt/echo-2.0.0.jar").containsEntry("param.greeting", "hello");
    }

    /**
     * The deploy folder keeps the newest three copies of a service's jars; one of them failing after
     * another (each build of a fix that does not start) pushed out the copy of the version that
     * serves, which its last good state names: after a restart, or once its bundle was uninstalled
     * by hand, that version could not be installed again and nothing of the service ran.
     */
    @Test
    void theCopyTheLastGoodStateNamesOutlivesNewerCopies() throws Exception {
        Path copies = Files.createDirectories(data.resolve("deploy"));
        Path good = bundleJar(copies.resolve("echo-1.0.0-1a2b.jar"), "echo");
        Files.setLastModifiedTime(good, java.nio.file.attribute.FileTime.fromMillis(0)); // the oldest copy
        new ServiceRecords(copies.resolve("last-good"), log).write(new ServiceRecord(new ServiceSpec("echo",
                List.of(good.toUri().toString()), "", ServiceSpecs.DEFAULT_START_LEVEL, true,
                ServiceSpecs.defaultPid("echo"), Duration.ofSeconds(10), Duration.ofSeconds(5), Map.of()), null));
        Path watched = Files.createDirectories(data.resolve("load"));
        Path dropped = bundleJar(watched.resolve("echo.jar"), "echo");
        when(context.getProperty("felix.fileinstall.dir")).thenReturn(watched.toString());
        activate(List::of);

        for (String version : new String[] {"1.1.0", "1.2.0", "1.3.0"}) {
            Files.write(dropped, DeployFolderTest.bundle("echo", version));
            deployer.install(dropped.toFile());
        }
        ranAllHandedOver();
        assertThat(good).exists();
    }

    /**
     * msf:deploy of a service that runs from a jar of the deploy folder writes a file, whose
     * configuration wins over the jar once FileInstall reads it. Until then the deployer answered with
     * the jar's service, settled: the command reported it deployed, with the jar's version and state,
     * before the configuration was read, and said nothing when that then failed.
     */
    @Test
    void aServiceDeployedOverAJarIsNotKnownUntilItsFileIsRead() throws Exception {
        Path watched = Files.createDirectories(data.resolve("load"));
        when(context.getProperty("felix.fileinstall.dir")).thenReturn(watched.toString());
        ConfigurationListener configurations = activate(List::of);
        deployer.install(bundleJar(watched.resolve("echo.jar"), "echo").toFile());
        ranAllHandedOver();
        assertThat(deployer.await("echo", LIMIT)).as("the jar's service").isPresent();

        assertThat(deployer.deploy("echo", "echo-2.0.0.jar", Map.of())).startsWith("written to ");
        assertThat(deployer.await("echo", LIMIT)).as("its file not read yet").isEmpty();

        Configuration echo = mock(Configuration.class);
        when(echo.getPid()).thenReturn("msf.service~echo");
        when(echo.getProperties()).thenReturn(new Hashtable<>(Map.of("location", "echo-2.0.0.jar")));
        when(configAdmin.listConfigurations(any())).thenReturn(new Configuration[] {echo});
        configurations.configurationEvent(new ConfigurationEvent(mock(ServiceReference.class), ConfigurationEvent.CM_UPDATED,
                "msf.service", "msf.service~echo"));
        assertThat(deployer.await("echo", LIMIT)).as("read, and carried out").isPresent();
    }

    /**
     * A configuration deleted after the command found it (its file removed by hand, msf:undeploy from another
     * console): Config Admin throws IllegalStateException 'Configuration ... deleted' at each read, which ended
     * msf:undeploy with those words. Deleted is what it was to do: it is done.
     */
    @Test
    void anUndeployOfAConfigurationDeletedMeanwhileIsDone() throws Exception {
        Configuration dlna = deletedAfterItWasListed("dlna");
        activate(List::of);

        deployer.undeploy("dlna");

        verify(dlna, never()).update(any());
    }

    /** msf:deploy over a configuration deleted after it was found writes it anew, as for a service not configured. */
    @Test
    void aDeployOverAConfigurationDeletedMeanwhileWritesItAnew() throws Exception {
        Path watched = Files.createDirectories(data.resolve("load"));
        when(context.getProperty("felix.fileinstall.dir")).thenReturn(watched.toString());
        Configuration dlna = deletedAfterItWasListed("dlna");
        activate(List::of);

        assertThat(deployer.deploy("dlna", "msf-dlna-2.jar", Map.of())).startsWith("written to ");

        verify(dlna, never()).update(any());
        assertThat(watched.resolve("msf.service~dlna.cfg")).content().contains("msf-dlna-2.jar");
    }

    /**
     * The parameters shown hidden are those the description of the PID they go to types PASSWORD, as
     * the config gate knows them: before, msf:param get printed them, and only a key named like a secret
     * was hidden from the log.
     */
    @Test
    void aServicesPasswordParametersAreThoseItsPidsDescriptionTypesPassword() throws Exception {
        Configuration upnp = mock(Configuration.class);
        when(upnp.getPid()).thenReturn(ServiceSpecs.FACTORY_PID + "~upnp");
        when(upnp.getProperties()).thenReturn(new Hashtable<>(Map.of("location", "msf-upnp.jar", "pid", "msf.upnp",
                "param.pin", "1234", "param.label", "a")));
        when(configAdmin.listConfigurations(any())).thenReturn(new Configuration[] {upnp});
        List<String> asked = new ArrayList<>();
        activate(new ConfigValidation() {
            @Override
            public List<ConfigProblem> rejected() {
                return List.of();
            }

            @Override
            public Set<String> passwords(String pid) {
                asked.add(pid);
                return pid.equals("msf.upnp") ? Set.of("pin") : Set.of();
            }
        });

        assertThat(deployer.passwordParameters("upnp")).containsExactly("pin");
        assertThat(asked).contains("msf.upnp");
        assertThat(deployer.parameters("upnp")).containsEntry("pin", "1234");
    }

    /** msf:update of a configuration deleted after it was found says the service is gone, in the deployer's words. */
    @Test
    void anUpdateOfAConfigurationDeletedMeanwhileSaysItIsGone() throws Exception {
        deletedAfterItWasListed("dlna");
        activate(List::of);

        for (String locationOrVersion : List.of("2.0.0", "msf-dlna-2.jar")) {
            assertThatThrownBy(() -> deployer.update("dlna", locationOrVersion))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no service named dlna is configured: its configuration was deleted as this command"
                            + " read it; nothing changed");
        }
    }

    /** Listed by Config Admin, and deleted since: every read throws, as Felix Config Admin's does. */
    private Configuration deletedAfterItWasListed(String name) throws Exception {
        Configuration configuration = mock(Configuration.class);
        String pid = ServiceSpecs.FACTORY_PID + "~" + name;
        IllegalStateException deleted = new IllegalStateException("Configuration " + pid + " deleted");
        when(configuration.getPid()).thenReturn(pid);
        when(configuration.getProperties()).thenThrow(deleted);
        when(configuration.getChangeCount()).thenThrow(deleted);
        org.mockito.Mockito.doThrow(deleted).when(configuration).update(any());
        org.mockito.Mockito.doThrow(deleted).when(configuration).delete();
        when(configAdmin.listConfigurations(any())).thenReturn(new Configuration[] {configuration});
        return configuration;
    }

    /** A deployer activated with this gate in a framework that runs unless told otherwise; its configuration listener. */
    private ConfigurationListener activate(ConfigValidation gate) throws Exception {
        deployer = constructedAsByDs();
        var field = Reconciler.class.getDeclaredField("gate");
        field.setAccessible(true);
        field.set(deployer, gate);
        deployer.activate();
        ranAllHandedOver();
        ArgumentCaptor<ConfigurationListener> listener = ArgumentCaptor.forClass(ConfigurationListener.class);
        verify(context).registerService(eq(ConfigurationListener.class), listener.capture(), any());
        return listener.getValue();
    }

    private static Path bundleJar(Path jar, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.closeEntry();
        }
        return jar;
    }

    /**
     * The deployer as DS has it once its constructor returned, in a framework with no bundles that
     * runs unless the test said otherwise: the references it takes there given, the optional ones
     * not set yet.
     */
    private Reconciler constructedAsByDs() throws Exception {
        when(context.getProperty("msf.data")).thenReturn(data.toString());
        when(context.getBundles()).thenReturn(new Bundle[0]);
        when(context.getBundle(0L)).thenReturn(framework);
        if (framework.getState() == 0) {
            when(framework.getState()).thenReturn(Bundle.ACTIVE);
        }
        doReturn(mock(ServiceRegistration.class)).when(context).registerService(any(Class.class), any(Object.class), any());
        return new Reconciler(context, configAdmin, mock(ServiceComponentRuntime.class), log);
    }

    /**
     * Waits until the deployer's thread has run every task handed to it so far: once the pass asked
     * for last is done, a pass asked for is handed over anew, and the thread runs its tasks in order.
     */
    private void ranAllHandedOver() throws Exception {
        deployer.await("typo", LIMIT);
        deployer.uninstall(new File("nothing.jar"));
        deployer.await("typo", LIMIT);
    }
}
