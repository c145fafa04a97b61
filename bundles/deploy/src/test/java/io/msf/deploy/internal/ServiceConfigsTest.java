package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.config.api.ConfigProblem;
import io.msf.config.api.ConfigValidation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Changes the console makes to a service's configuration in Config Admin. */
class ServiceConfigsTest {

    private final ServiceConfigs configs = new ServiceConfigs(mock(ConfigurationAdmin.class), null);

    /**
     * The watched folder's sync after the rename failed: msf:deploy said the deploy failed, though the
     * file was in place, whole, and FileInstall deployed it. It is told as written, with the reason the
     * rename may not last a crash.
     */
    @Test
    void aFileInPlaceIsToldAsWrittenWhenItsFolderCannotBeSynced(@TempDir Path etc) throws Exception {
        ServiceConfigs writer = new ServiceConfigs(mock(ConfigurationAdmin.class), etc, folder -> {
            throw new IOException(folder + " cannot be synced to the disk: Invalid argument");
        });

        String written = writer.create("echo", Map.of("location", "repo/echo-1.0.0.jar"));

        Path file = etc.resolve("msf.service~echo.cfg");
        assertThat(written).isEqualTo(file + " (but a crash before the disk catches up may undo it: "
                + etc.toAbsolutePath() + " cannot be synced to the disk: Invalid argument)");
        assertThat(Files.readString(file)).contains("location=repo/echo-1.0.0.jar");
    }

    /**
     * A file saved in the watched folder after msf:deploy looked whether one was there (an editor,
     * another container on the same etc/) was written over by the rename into place. It is kept,
     * and the command says it appeared.
     */
    @Test
    void aFileSavedWhileMsfDeployWritesItsOwnIsKept(@TempDir Path etc) throws Exception {
        ServiceConfigs writer = new ServiceConfigs(mock(ConfigurationAdmin.class), etc, folder -> { });
        Path file = etc.resolve("msf.service~echo.cfg");
        String operators = "location=repo/echo-2.0.0.jar\n";
        // read as the text is written, once the look for the file is past: the operator saves then
        Map<String, String> properties = new HashMap<>(Map.of("location", "repo/echo-1.0.0.jar")) {
            @Override
            public Set<Map.Entry<String, String>> entrySet() {
                try {
                    if (Files.notExists(file)) {
                        Files.writeString(file, operators);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return super.entrySet();
            }
        };

        assertThatThrownBy(() -> writer.create("echo", properties)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + " appeared while msf:deploy wrote it (saved meanwhile by an editor, or by another"
                        + " container on this folder?): it is left as it is; check it, or delete it and deploy"
                        + " again; nothing written");
        assertThat(Files.readString(file)).isEqualTo(operators);
        try (Stream<Path> left = Files.list(etc)) {
            assertThat(left).as("no temporary text left").containsExactly(file);
        }
    }

    @Test
    void aRedeployReplacesTheKeysAnEarlierConfigurationLeftButKeepsTheMarksOfItsOrigin() throws Exception {
        Configuration configuration = configurationWith(Map.of(
                "service.pid", "msf.service~echo",
                "service.factoryPid", "msf.service",
                ServiceConfigs.FILENAME, "file:/opt/msf/etc/msf.service~echo.cfg",
                "location", "mvn:io.example/echo",
                "version", "1.0.0",
                "enabled", "false",
                "param.greeting", "hello"));

        configs.replace(configuration, Map.of("location", "mvn:io.example/echo/2.0.0", "param.delay", "5"));

        assertThat(written(configuration)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "service.pid", "msf.service~echo",
                "service.factoryPid", "msf.service",
                ServiceConfigs.FILENAME, "file:/opt/msf/etc/msf.service~echo.cfg",
                "location", "mvn:io.example/echo/2.0.0",
                "param.delay", "5"));
    }

    /**
     * msf:param set reads the configuration, has the config gate check the change, then updates it.
     * An edit of the service's file that the gate applied in between (FileInstall reads it when it
     * polls, whatever the commands' turn-taking) was undone by that update: param.b went back to 1 in
     * Config Admin, and the write-back then saved that into the file over the operator's edit. The
     * change is made again over the configuration as it is now.
     */
    @Test
    void anEditAppliedWhileAChangeIsMadeIsKept() throws Exception {
        Editable configuration = new Editable(Map.of("location", "echo.jar", "param.a", "1", "param.b", "1"));
        configuration.editOnNextRead = Map.of("location", "echo.jar", "param.a", "1", "param.b", "2");

        configs.changeChecked(configuration.mock, "msf.service~echo", Map.of("param.a", "5"), List::of);

        assertThat(configuration.properties).containsExactlyInAnyOrderEntriesOf(
                Map.of("location", "echo.jar", "param.a", "5", "param.b", "2"));
    }

    /** A configuration that changes at every read is left as it is, and the command says so. */
    @Test
    void aConfigurationThatKeepsChangingIsNotChanged() throws Exception {
        Editable configuration = new Editable(Map.of("location", "echo.jar"));
        configuration.editEveryRead = true;

        assertThatThrownBy(() -> configs.replace(configuration.mock, Map.of("location", "other.jar")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the configuration msf.service~echo changed at each of " + ServiceConfigs.READS
                        + " reads while this change was made (its file being edited?): nothing changed; try again");
        verify(configuration.mock, never()).update(any());
    }

    /** A configuration the config gate updates behind the read (a file edit applied), with Config Admin's change count. */
    private static final class Editable {
        final Configuration mock = mock(Configuration.class);
        Map<String, Object> properties;
        long changeCount;
        Map<String, Object> editOnNextRead;
        boolean editEveryRead;

        Editable(Map<String, Object> properties) throws Exception {
            this.properties = new HashMap<>(properties);
            when(mock.getPid()).thenReturn("msf.service~echo");
            when(mock.getChangeCount()).thenAnswer(call -> changeCount);
            when(mock.getProperties()).thenAnswer(call -> {
                Dictionary<String, Object> read = new Hashtable<>(this.properties);
                if (editOnNextRead != null || editEveryRead) { // applied right after this read
                    this.properties = new HashMap<>(editEveryRead ? this.properties : editOnNextRead);
                    editOnNextRead = null;
                    changeCount++;
                }
                return read;
            });
            org.mockito.Mockito.doAnswer(call -> {
                Dictionary<String, Object> written = call.getArgument(0);
                Map<String, Object> now = new HashMap<>();
                written.keys().asIterator().forEachRemaining(key -> now.put(key, written.get(key)));
                this.properties = now;
                changeCount++;
                return null;
            }).when(mock).update(any());
        }
    }

    @Test
    void aChangeKeepsTheKeysItDoesNotName() throws Exception {
        Configuration configuration = configurationWith(Map.of("location", "mvn:io.example/echo", "enabled", "false"));

        configs.change(configuration, Map.of("version", "2.0.0"));

        assertThat(written(configuration)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "location", "mvn:io.example/echo", "enabled", "false", "version", "2.0.0"));
    }

    @Test
    void aRollbackRestoresTheBundlesOfTheEarlierVersionAndTheParametersItRanWithAndNothingElse() throws Exception {
        Configuration configuration = configurationWith(Map.of(
                "service.pid", "msf.service~echo",
                "service.factoryPid", "msf.service",
                "location", "mvn:io.example/echo",
                "version", "2.0.0",
                "startLevel", "6",
                "pid", "io.example.echo2",
                "param.greeting", "bye",
                "param.delay", "5"));

        configs.restore(configuration, Specs.spec("echo", "mvn:io.example/echo", "version", "1.0.0",
                "pid", "io.example.echo", "param.greeting", "hello"));

        assertThat(written(configuration)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "service.pid", "msf.service~echo",
                "service.factoryPid", "msf.service",
                "location", "mvn:io.example/echo",
                "version", "1.0.0",
                "startLevel", "6",
                "pid", "io.example.echo",
                "param.greeting", "hello"));
    }

    @Test
    void aRollbackToAVersionWithTheDefaultPidAndNoParametersLeavesNoneOfThoseKeys() throws Exception {
        Configuration configuration = configurationWith(Map.of("location", "mvn:io.example/echo/2.0.0",
                "pid", "io.example.echo2", "param.greeting", "bye"));

        configs.restore(configuration, Specs.spec("echo", "mvn:io.example/echo/1.0.0"));

        assertThat(written(configuration)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "location", "mvn:io.example/echo/1.0.0"));
    }

    /**
     * msf:param set writes into Config Admin, where no file passes the gate: a value the service's PID
     * cannot take went straight to the running version and failed its component (msf:param set said
     * it was written, msf:list ACTIVE), while the gate refused the file written back.
     */
    @Test
    void aParameterTheGateRefusesIsNotWrittenAndTheRefusalSaysWhy() throws Exception {
        Configuration configuration = configurationWith(Map.of("location", "msf-upnp.jar", "pid", "msf.demo.upnp",
                "param.intervalMillis", "2000", "param.timeoutMillis", "x"));
        List<Map<String, ?>> asked = new ArrayList<>();
        ConfigValidation gate = new ConfigValidation() {
            @Override
            public List<ConfigProblem> rejected() {
                return List.of();
            }

            @Override
            public List<ConfigProblem> check(String pid, Map<String, ?> properties) {
                asked.add(Map.copyOf(properties));
                return List.of(
                        new ConfigProblem("", pid, "param.intervalMillis", 0,
                                "'abc' is not a valid Integer (a parameter of msf.demo.upnp)", Instant.EPOCH),
                        // a key the change does not touch is not this change's to refuse
                        new ConfigProblem("", pid, "param.timeoutMillis", 0, "'x' is not a valid Integer", Instant.EPOCH));
            }
        };

        assertThatThrownBy(() -> configs.changeChecked(configuration, "msf.service~upnp",
                Map.of("param.intervalMillis", "abc"), gate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key 'param.intervalMillis': 'abc' is not a valid Integer (a parameter of msf.demo.upnp);"
                        + " nothing changed");
        verify(configuration, never()).update(any());
        assertThat(asked).containsExactly(Map.of("location", "msf-upnp.jar", "pid", "msf.demo.upnp",
                "param.intervalMillis", "abc", "param.timeoutMillis", "x"));
    }

    @Test
    void aParameterTheGateAcceptsIsWritten() throws Exception {
        Configuration configuration = configurationWith(Map.of("location", "msf-upnp.jar", "param.intervalMillis", "2000"));
        ConfigValidation gate = List::of;

        configs.changeChecked(configuration, "msf.service~upnp", Map.of("param.intervalMillis", "500"), gate);

        assertThat(written(configuration)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "location", "msf-upnp.jar", "param.intervalMillis", "500"));
    }

    @Test
    void aFileInstallFileIsNamedAsAPathAsAFileWrittenByTheDeployIs() {
        // msf:deploy of a service configured already says where it wrote: FileInstall's mark is a URL
        assertThat(ServiceConfigs.origin(configurationWith(Map.of(
                ServiceConfigs.FILENAME, "file:/opt/msf/etc/msf.service~echo.cfg"))))
                .isEqualTo("/opt/msf/etc/msf.service~echo.cfg");
        assertThat(ServiceConfigs.origin(configurationWith(Map.of(ServiceConfigs.FILENAME, "not a url"))))
                .isEqualTo("not a url");
        assertThat(ServiceConfigs.origin(configurationWith(Map.of("location", "msf-upnp.jar"))))
                .isEqualTo("Config Admin");
    }

    @Test
    void aConfigurationIsDeletedWithItsFile(@TempDir Path etc) throws Exception {
        Path file = Files.writeString(etc.resolve("msf.service~echo.cfg"), "location = mvn:io.example/echo\n");
        Configuration configuration = configurationWith(Map.of(ServiceConfigs.FILENAME, file.toUri().toString()));

        configs.delete(configuration);

        assertThat(file).doesNotExist();
        verify(configuration).delete();
    }

    /**
     * FileInstall marks a configuration with a {@code file:} URL, but the mark is a property like
     * any other: one that names no file (a plain path, garbage) once made msf:undeploy fail on its
     * URI, with the configuration and the service left in place.
     */
    @ParameterizedTest
    @ValueSource(strings = {"not a url", "/opt/msf/etc/msf.service~echo.cfg", "file:msf.service~echo.cfg",
            "http://example.com/msf.service~echo.cfg"})
    void aConfigurationWhoseFileMarkIsNoFileUrlIsDeletedAlone(String mark) throws Exception {
        Configuration configuration = configurationWith(Map.of(ServiceConfigs.FILENAME, mark));

        configs.delete(configuration);

        verify(configuration).delete();
    }

    @Test
    void aJsonFileIsNamedAsAPathAsAFileInstallFileIs() {
        // the config gate marks a configuration of a .json file with the file's URL too
        assertThat(ServiceConfigs.origin(configurationWith(Map.of(
                ServiceConfigs.JSON_FILE, "file:/opt/msf/etc/media.json", "location", "msf-dlna.jar"))))
                .isEqualTo("/opt/msf/etc/media.json");
    }

    /**
     * FileInstall, seeing the file go, deleted the configuration before the delete that followed the
     * file's: Config Admin refuses a second delete (IllegalStateException "Configuration ... deleted"),
     * which msf:undeploy reported as its failure though the service was undeployed.
     */
    @Test
    void aConfigurationDeletedWithItsFileBeforeItsOwnDeleteIsUndeployed(@TempDir Path etc) throws Exception {
        Path file = Files.writeString(etc.resolve("msf.service~echo.cfg"), "location=echo.jar\n");
        Configuration configuration = configurationWith(Map.of(ServiceConfigs.FILENAME, file.toUri().toString()));
        doThrow(new IllegalStateException("Configuration msf.service~echo deleted")).when(configuration).delete();

        configs.delete(configuration);

        assertThat(file).doesNotExist();
    }

    /** A stand-in for a configuration of Config Admin holding {@code properties}. */
    private static Configuration configurationWith(Map<String, Object> properties) {
        Configuration configuration = mock(Configuration.class);
        when(configuration.getProperties()).thenReturn(new Hashtable<>(properties));
        return configuration;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> written(Configuration configuration) throws Exception {
        ArgumentCaptor<Dictionary<String, Object>> update = ArgumentCaptor.forClass(Dictionary.class);
        verify(configuration).update(update.capture());
        return new HashMap<>((Hashtable<String, Object>) update.getValue());
    }
}
