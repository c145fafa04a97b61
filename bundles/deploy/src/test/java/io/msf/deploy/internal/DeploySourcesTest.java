package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.config.api.ConfigProblem;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.Logger;

/** Which services the sources name at the start, those FileInstall has not handed over yet included. */
class DeploySourcesTest {

    @TempDir
    Path dir;

    private final ConfigurationAdmin configAdmin = mock(ConfigurationAdmin.class);
    private final Map<String, String> frameworkProperties = new HashMap<>();
    private final List<ConfigProblem> refused = new ArrayList<>();

    private final Logger log = mock(Logger.class);

    private DeploySources sources() {
        return sources(jar -> Optional.empty());
    }

    private DeploySources sources(java.util.function.Function<String, Optional<String>> takenFrom) {
        return new DeploySources(new ServiceConfigs(configAdmin, null),
                new DeployFolder(dir.resolve("copies"), () -> Optional.of(Set.of()), warning -> { }), File::getName,
                new WatchedJars(configAdmin, frameworkProperties::get), () -> refused, takenFrom, log);
    }

    private static Configuration configuration(String pid, Map<String, Object> properties) {
        Configuration configuration = mock(Configuration.class);
        when(configuration.getPid()).thenReturn(pid);
        when(configuration.getProperties()).thenReturn(new Hashtable<>(properties));
        return configuration;
    }

    private void configured(String filter, Configuration... configurations) throws Exception {
        when(configAdmin.listConfigurations("(service.factoryPid=" + filter + ")")).thenReturn(configurations);
    }

    private static ConfigProblem refusedFile(String file, String pid) {
        return new ConfigProblem(file, pid, "location", 1, "is missing", Instant.EPOCH);
    }

    @Test
    void eachConfigurationAndEachJarLyingInAFolderFileInstallWatchesNameAService() throws Exception {
        configured(ServiceSpecs.FACTORY_PID, configuration("msf.service~configured", Map.of("location", "x.jar")),
                configuration("msf.service~disabled", Map.of("location", "x.jar", "enabled", "false")));
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Files.write(deploy.resolve("dropped.jar"), DeployFolderTest.bundle("io.example.dropped;singleton:=true", "1.0.0"));
        Files.write(deploy.resolve("half.jar"), new byte[] {'P', 'K'});
        Files.write(deploy.resolve("notes.txt"), DeployFolderTest.bundle("io.example.notes", "1.0.0"));
        configured(WatchedJars.FACTORY_PID, configuration("org.apache.felix.fileinstall.1",
                Map.of(WatchedJars.DIR, deploy.toString(), WatchedJars.FILTER, ".*\\.jar")));
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.write(etc.resolve("beside.jar"), DeployFolderTest.bundle("io.example.beside", "1.0.0"));
        Files.write(etc.resolve("filtered.jar"), DeployFolderTest.bundle("io.example.filtered", "1.0.0"));
        frameworkProperties.put(WatchedJars.DIR, etc.toString());
        frameworkProperties.put(WatchedJars.FILTER, "beside\\.jar|.*\\.cfg");

        assertThat(sources().named()).hasValueSatisfying(named -> assertThat(named).as("a jar that does not read is"
                + " named by its file, as the deployer names its problem").containsExactlyInAnyOrder("configured",
                        "disabled", "io.example.dropped", "half", "io.example.beside"));
    }

    /**
     * A jar of the deploy folder overwritten by one that does not read (its bundle name unread with it)
     * was named by its file at the start, and the clean-up deleted the last good state of the service
     * its good version ran as: a restart lost the service. It names the service whose last good state
     * was taken from that same file, and says so; replaced by a good jar of another bundle, it no longer
     * does.
     */
    @Test
    void aJarThatDoesNotReadNamesTheServiceLastTakenFromItsFile() throws Exception {
        configured(ServiceSpecs.FACTORY_PID);
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        configured(WatchedJars.FACTORY_PID, configuration("org.apache.felix.fileinstall.1",
                Map.of(WatchedJars.DIR, deploy.toString())));
        ServiceRecords records = new ServiceRecords(dir.resolve("last-good"), log);
        records.write(new ServiceRecord(Specs.spec("bi.good", "file:/data/deploy/bi.good-1.1.0-3dcc.jar"), null,
                "bi-good.jar"));
        Path overwritten = deploy.resolve("bi-good.jar");
        Files.writeString(overwritten, "garbage\n");
        Files.writeString(deploy.resolve("stray.jar"), "garbage\n");
        DeploySources sources = sources(records::takenFrom);

        assertThat(sources.named()).as("before FileInstall hands it over").hasValue(Set.of("bi.good", "stray"));
        sources.jarChanged(overwritten.toFile());
        assertThat(sources.named()).hasValue(Set.of("bi.good", "stray"));
        Desired desired = sources.desired().get("bi.good");
        assertThat(desired.jar()).isTrue();
        assertThat(desired.origin()).isEqualTo("bi-good.jar");
        assertThat(desired.problem()).startsWith("bi-good.jar is no jar: it does not start as a zip does");
        verify(log).warn(anyString(), eq("bi-good.jar"), anyString(), eq("bi.good"));

        Files.write(overwritten, DeployFolderTest.bundle("io.example.other", "1.0.0"));
        sources.jarChanged(overwritten.toFile());
        assertThat(sources.named()).as("a good jar of another bundle").hasValue(Set.of("io.example.other", "stray"));
    }

    @Test
    void aServiceFileTheConfigGateRefusesNamesItsServiceAndOneWhoseServicesCannotBeToldNamesAll() throws Exception {
        configured(ServiceSpecs.FACTORY_PID);
        configured(WatchedJars.FACTORY_PID);
        refused.add(refusedFile("etc/msf.service~typo.cfg", "msf.service~typo"));
        refused.add(refusedFile("etc/msf.log.cfg", "msf.log"));
        assertThat(sources().named()).hasValue(Set.of("typo"));

        refused.add(refusedFile("etc/media.json", "msf.service"));
        assertThat(sources().named()).as("nothing is known to have no source").isEmpty();
    }

    /**
     * The gate refuses a libmsf process file whole, and its problems name only the services at fault:
     * the others it configures are not in Config Admin either, and may not be told apart from services
     * gone.
     */
    @Test
    void aRefusedProcessFileNamesAllEvenWhenItsProblemsNameOnlySomeOfItsServices() throws Exception {
        configured(ServiceSpecs.FACTORY_PID);
        configured(WatchedJars.FACTORY_PID);
        refused.add(refusedFile("etc/media.json", "msf.service~dlna")); // upnp in it too, valid

        assertThat(sources().named()).as("nothing is known to have no source").isEmpty();
    }

    /**
     * The clean-up asks at every change of a source: a process file that stays refused is told of
     * once, and again once it was valid in between and is refused anew.
     */
    @Test
    void aProcessFileThatStaysRefusedIsToldOfOnce() throws Exception {
        configured(ServiceSpecs.FACTORY_PID);
        configured(WatchedJars.FACTORY_PID);
        DeploySources sources = sources();
        refused.add(refusedFile("etc/media.json", "msf.service~dlna"));

        assertThat(sources.named()).isEmpty();
        assertThat(sources.named()).isEmpty();
        verify(log, times(1)).info(anyString(), eq("etc/media.json"));

        refused.clear();
        assertThat(sources.named()).isPresent();
        refused.add(refusedFile("etc/media.json", "msf.service~upnp"));
        assertThat(sources.named()).isEmpty();
        verify(log, times(2)).info(anyString(), eq("etc/media.json"));
    }

    /**
     * A configuration wins over a jar of the deploy folder of the same name: the jar was logged as
     * taken and then left aside without a word, so a new version dropped for a configured service
     * seemed to be deployed and never was. A WARN line names the jar and the configuration.
     */
    @Test
    void aJarOfAServiceAConfigurationNamesIsSaidToBeLeftAside() throws Exception {
        configured(ServiceSpecs.FACTORY_PID, configuration("msf.service~io.example.echo", Map.of("location", "x.jar",
                ServiceConfigs.FILENAME, "file:/opt/msf/etc/msf.service~io.example.echo.cfg")));
        Path dropped = Files.write(dir.resolve("echo.jar"), DeployFolderTest.bundle("io.example.echo", "2.0.0"));

        sources().jarChanged(dropped.toFile());

        verify(log).warn("{}: not deployed: service {} is configured by {}, which a jar of the deploy folder does not"
                + " replace", "echo.jar", "io.example.echo", "/opt/msf/etc/msf.service~io.example.echo.cfg");
    }

    /**
     * Of two jars of one bundle in the deploy folder (a new version dropped beside the old one, the old
     * one not deleted yet) the one dropped last was deployed. A container started again has FileInstall
     * hand them over in the order of their names, so hello-1.0.9.jar came after hello-1.0.10.jar and
     * the service came back as 1.0.9, the version it had left. The newer file is deployed, however
     * they are handed over.
     */
    @Test
    void ofTwoJarsOfOneBundleTheNewerFileIsDeployedWhateverOrderTheyAreHandedOverIn() throws Exception {
        configured(ServiceSpecs.FACTORY_PID);
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path older = Files.write(deploy.resolve("hello-1.0.9.jar"), DeployFolderTest.bundle("hello", "1.0.9"));
        Path newer = Files.write(deploy.resolve("hello-1.0.10.jar"), DeployFolderTest.bundle("hello", "1.0.10"));
        Files.setLastModifiedTime(older, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        Files.setLastModifiedTime(newer, java.nio.file.attribute.FileTime.fromMillis(1_000_000_060_000L));

        DeploySources sources = sources();
        sources.jarChanged(newer.toFile()); // by name, as FileInstall hands them over at a start
        sources.jarChanged(older.toFile());

        assertThat(sources.desired().get("hello").spec().locations()).singleElement()
                .asString().contains("hello-1.0.10-");
    }

    /**
     * msf:rollback of a jar's service pointed the first jar of its bundle it came across at the earlier
     * version, which with two jars of the bundle in the deploy folder may be the one not deployed: the
     * service stayed as it was, and the command reported it rolled back.
     */
    @Test
    void aRollbackOfAJarsServiceTurnsTheJarThatIsDeployed() throws Exception {
        configured(ServiceSpecs.FACTORY_PID);
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        DeploySources sources = sources();
        for (int i = 0; i < 8; i++) { // whatever order the jars are kept in
            Path jar = Files.write(deploy.resolve("hello-" + i + ".jar"), DeployFolderTest.bundle("hello", "1.0." + i));
            Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L + i * 60_000L));
            sources.jarChanged(jar.toFile());
        }
        ServiceSpec earlier = Specs.spec("hello", "file:/opt/msf/data/deploy/hello-0.9.0-1a2b.jar");

        assertThat(sources.rollBackJar("hello", earlier)).isTrue();
        assertThat(sources.desired().get("hello").spec()).isEqualTo(earlier);
    }

    /** A service file configures the one service its name gives, whatever its problem names. */
    @Test
    void aRefusedServiceFileNamesTheServiceOfItsFileName() throws Exception {
        configured(ServiceSpecs.FACTORY_PID);
        configured(WatchedJars.FACTORY_PID);
        refused.add(refusedFile("etc/msf.service~echo.json", "msf.service")); // not valid JSON

        assertThat(sources().named()).hasValue(Set.of("echo"));
    }

    @Test
    void aWatchedFolderThatIsNotThereHoldsNoJarAndAFilterThatIsNoExpressionNamesNothing() throws Exception {
        configured(ServiceSpecs.FACTORY_PID, configuration("msf.service~configured", Map.of("location", "x.jar")));
        configured(WatchedJars.FACTORY_PID);
        frameworkProperties.put(WatchedJars.DIR, dir.resolve("not-made-yet").toString());
        assertThat(sources().named()).hasValue(Set.of("configured"));

        Files.createDirectories(dir.resolve("not-made-yet"));
        frameworkProperties.put(WatchedJars.FILTER, "*.jar");
        assertThat(sources().named()).as("what FileInstall takes there cannot be told").isEmpty();
    }

    /**
     * A configuration deleted after Config Admin listed it (two service files removed at once, msf:undeploy
     * from another console) throws IllegalStateException at each read, as Felix's does: it is as if it had
     * not been listed, not a pass cut short with an ERROR, nor a clean-up or a command's wait that fails.
     */
    @Test
    void aConfigurationDeletedAfterItWasListedIsAsIfItWasNotListed() throws Exception {
        configured(ServiceSpecs.FACTORY_PID, configuration("msf.service~kept", Map.of("location", "x.jar")),
                deleted("msf.service~gone"), deleted("msf.service.4f2a"));
        configured(WatchedJars.FACTORY_PID);
        DeploySources sources = sources();

        assertThat(sources.desired()).containsOnlyKeys("kept");
        assertThat(sources.changeCount("gone")).isEqualTo(-1);
        // told (not "cannot be told", which deletes no record at all); one named by its PID alone is kept a
        // change longer, which is safe
        assertThat(sources.named()).hasValueSatisfying(named -> assertThat(named).contains("kept")
                .doesNotContain("4f2a"));
    }

    /** A configuration Config Admin deleted after it was listed: every read throws, as Felix's does. */
    private static Configuration deleted(String pid) {
        Configuration configuration = mock(Configuration.class);
        IllegalStateException deleted = new IllegalStateException("Configuration " + pid + " deleted");
        when(configuration.getPid()).thenReturn(pid);
        when(configuration.getFactoryPid()).thenReturn(ServiceSpecs.FACTORY_PID);
        when(configuration.getProperties()).thenThrow(deleted);
        when(configuration.getChangeCount()).thenThrow(deleted);
        return configuration;
    }
}
