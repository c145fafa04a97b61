package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.config.api.ConfigProblem;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.log.Logger;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;

/** What the gate hands to FileInstall's ConfigInstaller, and what it keeps out. */
class ConfigGateTest {

    @TempDir
    Path home;

    private final BundleContext context = mock(BundleContext.class);
    private final MetaTypeService metatype = mock(MetaTypeService.class);
    private final ConfigurationAdmin configAdmin = mock(ConfigurationAdmin.class);
    private final Logger log = mock(Logger.class);
    private final ArtifactInstaller fileInstall = mock(ArtifactInstaller.class);
    private final AppliedFiles applied = new AppliedFiles();
    private final GateSwitch gateSwitch = new GateSwitch();
    /** The gate's own thread for the checks after bundle events, as the component has one. */
    private final ExecutorService recheckThread = Executors.newSingleThreadExecutor();
    private ConfigGate gate;

    @BeforeEach
    void container() throws IOException {
        Files.createDirectories(home.resolve("etc"));
        when(context.getProperty("msf.home")).thenReturn(home.toString());
        when(context.getProperty("felix.fileinstall.dir")).thenReturn(home.resolve("etc").toString());
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn("io.msf.net");
        when(context.getBundles()).thenReturn(new Bundle[] {bundle});
        TestMetatype descriptions = TestMetatype.load("endpoint.xml");
        MetaTypeInformation info = mock(MetaTypeInformation.class);
        when(info.getPids()).thenReturn(new String[0]);
        when(info.getFactoryPids()).thenReturn(new String[] {"msf.net.endpoint"});
        when(info.getObjectClassDefinition("msf.net.endpoint", null))
                .thenReturn(descriptions.apply("msf.net.endpoint").orElseThrow().ocd());
        when(metatype.getMetaTypeInformation(bundle)).thenReturn(info);
        gate = new ConfigGate(enabled(true), context, metatype, configAdmin, applied, gateSwitch, log, recheckThread);
        gate.bindFileInstallConfigs(fileInstall);
    }

    @AfterEach
    void stopGate() throws InterruptedException {
        gate.stop();
    }

    /** Waits for the checks the bundle events so far asked for: queued on the gate's thread before this. */
    private void rechecked() throws Exception {
        recheckThread.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    private static GateConfiguration enabled(boolean enabled) {
        GateConfiguration config = mock(GateConfiguration.class);
        when(config.enabled()).thenReturn(enabled);
        return config;
    }

    private File write(String name, String... lines) throws IOException {
        return Files.writeString(home.resolve("etc").resolve(name), String.join("\n", lines), StandardCharsets.ISO_8859_1)
                .toFile();
    }

    private void configurationExistsFor(File file) throws Exception {
        when(configAdmin.listConfigurations("(felix.fileinstall.filename=" + file.toURI() + ")"))
                .thenReturn(new Configuration[] {mock(Configuration.class)});
    }

    @Test
    void takesMsfConfigurationFilesOnly() {
        assertThat(gate.canHandle(new File("etc/msf.log.cfg"))).isTrue();
        assertThat(gate.canHandle(new File("etc/msf.net.endpoint~echo.config"))).isTrue();
        assertThat(gate.canHandle(new File("etc/org.apache.felix.fileinstall-deploy.cfg"))).isFalse();
        assertThat(gate.canHandle(new File("deploy/msf-extra.jar"))).isFalse();
    }

    @Test
    void aValidFileGoesToFileInstall() throws Exception {
        File file = write("msf.net.endpoint-echo.cfg", "handler = echo", "port = 7000");

        gate.install(file);

        verify(fileInstall).update(file);
        assertThat(gate.rejected()).isEmpty();
        assertThat(applied.lastApplied(file.toPath())).as("what the write-back compares with")
                .isEqualTo(Map.of("handler", "echo", "port", "7000"));
    }

    /**
     * Config Admin may report the configuration made before FileInstall's update returns: the
     * write-back must find the file's values recorded by then, or it takes the file's own
     * configuration for a change made through Config Admin and writes it over the file.
     */
    @Test
    void whatAFileSaysIsRecordedBeforeItsConfigurationIsMade() throws Exception {
        File file = write("msf.net.endpoint-echo.cfg", "handler = echo", "port = 7000");
        List<Map<String, ?>> seenDuringTheUpdate = new ArrayList<>();
        doAnswer(call -> seenDuringTheUpdate.add(applied.lastApplied(file.toPath()))).when(fileInstall).update(file);

        gate.install(file);

        assertThat(seenDuringTheUpdate).containsExactly(Map.of("handler", "echo", "port", "7000"));
    }

    @Test
    void aFileFileInstallFailsToApplyLeavesWhatWasRecordedBefore() throws Exception {
        File file = write("msf.net.endpoint-echo.cfg", "handler = echo", "port = 7000");
        gate.install(file);
        write("msf.net.endpoint-echo.cfg", "handler = echo", "port = 7001");
        doThrow(new IOException("Config Admin is gone")).when(fileInstall).update(file);

        assertThatThrownBy(() -> gate.update(file)).hasMessageContaining("Config Admin is gone");

        assertThat(applied.lastApplied(file.toPath())).isEqualTo(Map.of("handler", "echo", "port", "7000"));
    }

    /**
     * FileInstall reads the file again when the gate hands it on: a version written while the gate
     * checked the one before reached Config Admin unchecked, the gate saying it applied what it checked.
     */
    @Test
    void aFileChangedWhileItIsCheckedIsNotHandedOnUntilItsNewVersionIsChecked() throws Exception {
        File file = write("msf.net.endpoint-echo.cfg", "handler = echo", "port = 7000");
        gate.install(file);
        List<Map<String, Object>> readByFileInstall = new ArrayList<>();
        doAnswer(call -> readByFileInstall.add(reader().read(file.toPath()).values())).when(fileInstall).update(file);
        write("msf.net.endpoint-echo.cfg", "handler = echo", "port = 7001");
        Bundle bundle = context.getBundles()[0];
        MetaTypeInformation info = metatype.getMetaTypeInformation(bundle);
        // the next edit lands while the check looks the description up
        when(metatype.getMetaTypeInformation(bundle)).thenAnswer(call -> {
            write("msf.net.endpoint-echo.cfg", "handler = echo", "port = abc");
            return info;
        }).thenReturn(info);

        gate.update(file);

        assertThat(readByFileInstall).as("an unchecked version handed on").isEmpty();
        assertThat(applied.lastApplied(file.toPath())).isEqualTo(Map.of("handler", "echo", "port", "7000"));
        verify(log).info("{}: changed while it was checked, so not applied: the version written since is checked"
                + " when FileInstall hands it over (its next scans)", "etc/msf.net.endpoint-echo.cfg");

        write("msf.net.endpoint-echo.cfg", "handler = echo", "port = 7002");
        gate.update(file); // FileInstall's next scans

        assertThat(readByFileInstall).containsExactly(Map.of("handler", "echo", "port", "7002"));
        assertThat(applied.lastApplied(file.toPath())).isEqualTo(Map.of("handler", "echo", "port", "7002"));
    }

    private static ConfigFileReader reader() {
        return new ConfigFileReader(StandardCharsets.ISO_8859_1, name -> null);
    }

    @Test
    void anInvalidFileIsKeptOutAndListedUntilAValidVersionArrives() throws Exception {
        File file = write("msf.net.endpoint-echo.cfg", "handler = echo", "port = 7000");
        gate.install(file);
        write("msf.net.endpoint-echo.cfg", "handler = echo", "", "", "port = abc");
        configurationExistsFor(file);

        gate.update(file);

        verify(fileInstall).update(any()); // the valid first version only
        assertThat(applied.lastApplied(file.toPath())).as("still what was applied")
                .isEqualTo(Map.of("handler", "echo", "port", "7000"));
        ConfigProblem problem = new ConfigProblem("etc/msf.net.endpoint-echo.cfg", "msf.net.endpoint~echo", "port", 4,
                "'abc' is not a valid Integer", gate.rejected().get(0).at());
        assertThat(gate.rejected()).containsExactly(problem);
        verify(log).error("{}; {}", problem, "the previous configuration stays in force");

        write("msf.net.endpoint-echo.cfg", "handler = echo", "port = 7001");
        gate.update(file);

        verify(fileInstall, times(2)).update(file);
        assertThat(gate.rejected()).isEmpty();
        assertThat(applied.lastApplied(file.toPath())).isEqualTo(Map.of("handler", "echo", "port", "7001"));
        verify(log).info("{}: valid now, applied", "etc/msf.net.endpoint-echo.cfg");
    }

    /**
     * The container starts with an edit of a file that the gate refuses, the configuration applied
     * from the file before the restart in force (Config Admin keeps it). A change made through
     * Config Admin then was saved over the edit: nothing had been applied from the file since the
     * start, so the write-back took the file for one it could replace.
     */
    @Test
    void anEditRefusedAtTheFirstReadIsNotWrittenOverByAChangeThroughConfigAdmin() throws Exception {
        File file = write("msf.net.endpoint-echo.cfg", "# the operator's edit", "handler = echo", "port = abc");
        String edit = Files.readString(file.toPath(), StandardCharsets.ISO_8859_1);
        Configuration inForce = configurationFrom(file, Map.of("handler", "echo", "port", 7000));

        gate.install(file);
        verify(fileInstall, never()).update(any());
        when(inForce.getProperties()).thenReturn(properties(file, Map.of("handler", "echo", "port", 7001)));
        saveBack().configurationEvent(new ConfigurationEvent(mock(ServiceReference.class),
                ConfigurationEvent.CM_UPDATED, "msf.net.endpoint", "msf.net.endpoint~echo"));

        assertThat(Files.readString(file.toPath(), StandardCharsets.ISO_8859_1)).as("the refused edit, kept")
                .isEqualTo(edit);
    }

    /** A configuration FileInstall made from the file, holding {@code values}. */
    private Configuration configurationFrom(File file, Map<String, Object> values) throws Exception {
        Configuration configuration = mock(Configuration.class);
        when(configuration.getPid()).thenReturn("msf.net.endpoint~echo");
        when(configuration.getProperties()).thenReturn(properties(file, values));
        when(configAdmin.listConfigurations("(felix.fileinstall.filename=" + file.toURI() + ")"))
                .thenReturn(new Configuration[] {configuration});
        when(configAdmin.listConfigurations("(service.pid=msf.net.endpoint~echo)"))
                .thenReturn(new Configuration[] {configuration});
        return configuration;
    }

    private static Dictionary<String, Object> properties(File file, Map<String, Object> values) {
        Hashtable<String, Object> properties = new Hashtable<>(values);
        properties.put("service.pid", "msf.net.endpoint~echo");
        properties.put("service.factoryPid", "msf.net.endpoint");
        properties.put("felix.fileinstall.filename", file.toURI().toString());
        return properties;
    }

    /** msf-config's write-back, on (FileInstall's off), sharing the gate's record of applied files. */
    private ConfigSaveBack saveBack() {
        when(context.getProperty("felix.fileinstall.enableConfigSave")).thenReturn("false");
        ConfigSaveBack saveBack = new ConfigSaveBack(context, configAdmin, metatype, applied, gateSwitch, gate, log);
        assertThat(saveBack.enabled()).isTrue();
        return saveBack;
    }

    @Test
    void aFileOfAConfigurationAnotherFileMadeIsRefusedUntilThatFileIsGone() throws Exception {
        File json = write("echo.json", "{}");
        Configuration fromJson = mock(Configuration.class);
        Hashtable<String, Object> properties = new Hashtable<>(Map.of("handler", "echo", "service.pid",
                "msf.net.endpoint~echo", JsonServiceFiles.MARK, json.toURI().toString()));
        when(fromJson.getProperties()).thenReturn(properties);
        when(configAdmin.listConfigurations("(service.pid=msf.net.endpoint~echo)"))
                .thenReturn(new Configuration[] {fromJson});
        File file = write("msf.net.endpoint~echo.cfg", "handler = echo", "port = 7000");

        gate.install(file);

        verify(configAdmin, never()).getFactoryConfiguration(anyString(), anyString(), anyString());
        assertThat(gate.rejected()).extracting(ConfigProblem::toString).containsExactly("etc/msf.net.endpoint~echo.cfg:"
                + " msf.net.endpoint~echo is configured by etc/echo.json already: keep one of the two files");

        Files.delete(json.toPath());
        when(configAdmin.listConfigurations("(service.pid=msf.net.endpoint~echo)")).thenReturn(null);
        Configuration created = mock(Configuration.class);
        when(configAdmin.getFactoryConfiguration("msf.net.endpoint", "echo", "?")).thenReturn(created);
        gate.uninstall(json);

        verify(created).update(any());
        assertThat(gate.rejected()).isEmpty();
    }

    /**
     * A configuration made from a file that now lies outside every watched folder (the container
     * started with another felix.fileinstall.dir, the file kept elsewhere) refused each new file of it
     * as a second file, until that one was deleted; and as FileInstall does not watch it, its deletion
     * was never seen, so the new file stayed refused until it was touched again. FileInstall will not
     * read that file again: it is no second source.
     */
    @Test
    void aFileOfAConfigurationMadeFromAFileNoLongerWatchedIsApplied() throws Exception {
        Path old = Files.writeString(Files.createDirectories(home.resolve("old-etc")).resolve(
                "msf.net.endpoint~echo.cfg"), "handler = echo\n", StandardCharsets.ISO_8859_1);
        Configuration fromOld = mock(Configuration.class);
        when(fromOld.getProperties()).thenReturn(new Hashtable<>(Map.of("handler", "echo", "service.pid",
                "msf.net.endpoint~echo", "felix.fileinstall.filename", old.toUri().toString())));
        when(configAdmin.listConfigurations("(service.pid=msf.net.endpoint~echo)"))
                .thenReturn(new Configuration[] {fromOld});
        when(configAdmin.getFactoryConfiguration("msf.net.endpoint", "echo", "?")).thenReturn(fromOld);
        File json = write("msf.service~media.json", "{\"location\": \"media.jar\"}");
        Configuration media = mock(Configuration.class);
        when(media.getProperties()).thenReturn(new Hashtable<>(Map.of("location", "media.jar", "service.pid",
                "msf.service~media", "felix.fileinstall.filename", old.resolveSibling("msf.service~media.cfg").toUri()
                        .toString())));
        Files.writeString(old.resolveSibling("msf.service~media.cfg"), "location = media.jar\n");
        when(configAdmin.listConfigurations("(service.pid=msf.service~media)")).thenReturn(new Configuration[] {media});
        when(configAdmin.getFactoryConfiguration("msf.service", "media", "?")).thenReturn(media);

        gate.install(write("msf.net.endpoint~echo.cfg", "handler = echo", "port = 7000"));
        gate.install(json);

        assertThat(gate.rejected()).isEmpty();
        verify(fromOld).update(argThat(properties -> "7000".equals(properties.get("port"))));
        verify(media).update(argThat(properties -> json.toURI().toString().equals(properties.get(JsonServiceFiles.MARK))));
    }

    @Test
    void aJsonFileRefusedForAServiceAnotherFileConfiguresIsAppliedOnceThatFileIsGone() throws Exception {
        File cfg = write("msf.service~media.cfg", "location = media.jar");
        Configuration fromCfg = mock(Configuration.class);
        when(fromCfg.getProperties()).thenReturn(new Hashtable<>(Map.of("location", "media.jar", "service.pid",
                "msf.service~media", "felix.fileinstall.filename", cfg.toURI().toString())));
        when(configAdmin.listConfigurations("(service.pid=msf.service~media)"))
                .thenReturn(new Configuration[] {fromCfg});
        File json = write("media.json", "{\"proc_name\": \"media\",",
                " \"proc_svcs\": [{\"svc_name\": \"media\", \"svc_libs\": \"libmedia.so\"}]}");

        gate.install(json);
        assertThat(gate.rejected()).extracting(ConfigProblem::toString).containsExactly(
                "etc/media.json: service 'media' is configured by etc/msf.service~media.cfg already");

        configurationExistsFor(cfg);
        doAnswer(call -> {
            when(configAdmin.listConfigurations("(service.pid=msf.service~media)")).thenReturn(null);
            return null;
        }).when(fileInstall).uninstall(cfg);
        Configuration made = mock(Configuration.class);
        when(configAdmin.getFactoryConfiguration("msf.service", "media", "?")).thenReturn(made);
        gate.uninstall(cfg);

        verify(made).update(any());
        assertThat(gate.rejected()).isEmpty();
    }

    @Test
    void anInvalidFirstVersionIsNotAppliedAtAll() throws Exception {
        File file = write("msf.net.endpoint~echo.cfg", "handler = echo", "transport = sctp");

        gate.install(file);

        verify(configAdmin, never()).getFactoryConfiguration(anyString(), anyString(), anyString());
        verify(fileInstall, never()).update(any());
        verify(log).error("{}; {}", gate.rejected().get(0), "nothing from this file is applied until it is fixed");
        assertThat(gate.rejected()).extracting(ConfigProblem::toString).containsExactly(
                "etc/msf.net.endpoint~echo.cfg:2: key 'transport': 'sctp' is not one of tcp-server, udp");
    }

    /**
     * A key misspelt (a letter swapped, missing or doubled, or another case) or written without its
     * unit names the key meant:
     * in a list of twenty keys, the one a typo stands for is not easy to see.
     */
    @Test
    void anUnknownKeyCloseToAKnownOneNamesIt() throws Exception {
        File file = write("msf.net.endpoint~echo.cfg", "handler = echo", "prot = 7000", "Host = ::1",
                "colour = blue", "maxFrame = 1024");

        gate.install(file);

        assertThat(gate.rejected()).extracting(ConfigProblem::toString).containsExactly(
                "etc/msf.net.endpoint~echo.cfg:2: key 'prot': unknown key (did you mean 'port'?); the keys of this"
                        + " configuration are allowed, handler, host, keepAlive, maxFrameBytes, port, tlsKeyStorePassword, transport",
                "etc/msf.net.endpoint~echo.cfg:3: key 'Host': unknown key (did you mean 'host'?); the keys of this"
                        + " configuration are allowed, handler, host, keepAlive, maxFrameBytes, port, tlsKeyStorePassword, transport",
                "etc/msf.net.endpoint~echo.cfg:4: key 'colour': unknown key; the keys of this"
                        + " configuration are allowed, handler, host, keepAlive, maxFrameBytes, port, tlsKeyStorePassword, transport",
                "etc/msf.net.endpoint~echo.cfg:5: key 'maxFrame': unknown key (did you mean 'maxFrameBytes'?); the keys"
                        + " of this configuration are allowed, handler, host, keepAlive, maxFrameBytes, port, tlsKeyStorePassword, transport");
    }

    @Test
    void aRequiredKeyWithoutDefaultMustBeThere() throws Exception {
        // what FileInstall's scanner reads while FileInstall itself rewrites a file in place
        File file = write("msf.net.endpoint-echo.cfg", "port = 7000");

        gate.install(file);

        verify(fileInstall, never()).install(any());
        assertThat(gate.rejected()).extracting(ConfigProblem::toString).containsExactly(
                "etc/msf.net.endpoint-echo.cfg: key 'handler': missing; this configuration needs it and it has no default");
    }

    @Test
    void theFirstVersionOfATildeFileBecomesANamedFactoryConfigurationMarkedForFileInstall() throws Exception {
        File file = write("msf.net.endpoint~echo.cfg", "handler = echo", "port = 7000");
        Configuration created = mock(Configuration.class);
        when(configAdmin.getFactoryConfiguration("msf.net.endpoint", "echo", "?")).thenReturn(created);

        gate.install(file);

        @SuppressWarnings("unchecked")
        ArgumentCaptor<Dictionary<String, Object>> properties = ArgumentCaptor.forClass(Dictionary.class);
        verify(created).update(properties.capture());
        assertThat(properties.getValue().get("handler")).isEqualTo("echo");
        assertThat(properties.getValue().get("port")).isEqualTo("7000");
        assertThat(properties.getValue().get("felix.fileinstall.filename")).isEqualTo(file.toURI().toString());
        verify(fileInstall, never()).update(any());

        configurationExistsFor(file);
        gate.update(file);
        verify(fileInstall).update(file);
    }

    @Test
    void deletingAFileDeletesItsConfigurationThroughFileInstallIfThereIsOne() throws Exception {
        File applied = write("msf.net.endpoint-a.cfg", "handler = echo");
        File neverApplied = write("msf.net.endpoint-b.cfg", "port = abc");
        gate.install(neverApplied);
        configurationExistsFor(applied);

        gate.uninstall(applied);
        gate.uninstall(neverApplied);

        verify(fileInstall).uninstall(applied);
        verify(fileInstall, never()).uninstall(neverApplied);
        assertThat(gate.rejected()).isEmpty();
        assertThat(this.applied.lastApplied(applied.toPath())).isNull();
    }

    @Test
    void aPidWithoutDescriptionIsHandedOnUnchecked() throws Exception {
        File file = write("msf.future.cfg", "anything = goes");

        gate.install(file);

        verify(fileInstall).update(file);
        verify(log).info(anyString(), eq("etc/msf.future.cfg"), eq("msf.future"), eq(""));
    }

    /**
     * A misspelt file name (msf.net.endpont-api.cfg) was told only as a PID nothing describes, 'is
     * the file name right?', leaving the user to find the PID meant among the bundles' descriptions.
     */
    @Test
    void aFileNameOneTypoFromADescribedPidNamesThatPid() throws Exception {
        File file = write("msf.net.endpont-api.cfg", "port = 7100");

        gate.install(file);

        verify(fileInstall).update(file);
        verify(log).info(anyString(), eq("etc/msf.net.endpont-api.cfg"), eq("msf.net.endpont"),
                eq(" did you mean msf.net.endpoint?"));
    }

    /**
     * A file of a PID whose bundle comes later (a service's, which the deployer installs after
     * FileInstall's first scan) was applied unchecked and never checked: a value the description
     * refuses went to the component, and nothing said so.
     */
    @Test
    void aFileAppliedBeforeABundleDescribedItsPidIsCheckedOnceOneIsResolved() throws Exception {
        ArgumentCaptor<BundleListener> listener = ArgumentCaptor.forClass(BundleListener.class);
        verify(context).addBundleListener(listener.capture());
        File file = write("msf.log.cfg", "console = true", "level = LOUD");
        gate.install(file);
        verify(fileInstall).update(file);
        assertThat(gate.rejected()).isEmpty();

        Bundle logBundle = mock(Bundle.class);
        MetaTypeInformation info = mock(MetaTypeInformation.class);
        when(info.getPids()).thenReturn(new String[] {"msf.log"});
        when(info.getObjectClassDefinition("msf.log", null))
                .thenReturn(TestMetatype.load("log.xml").apply("msf.log").orElseThrow().ocd());
        when(metatype.getMetaTypeInformation(logBundle)).thenReturn(info);
        when(context.getBundles()).thenReturn(new Bundle[] {logBundle});
        listener.getValue().bundleChanged(new BundleEvent(BundleEvent.RESOLVED, logBundle));
        rechecked();

        assertThat(gate.rejected()).extracting(ConfigProblem::toString)
                .containsExactly("etc/msf.log.cfg:2: key 'level': 'LOUD' is not one of DEBUG, INFO, WARN");
        verify(fileInstall).update(file); // once: what is in force stays

        write("msf.log.cfg", "console = true", "level = WARN");
        gate.update(file);
        assertThat(gate.rejected()).isEmpty();
    }

    /**
     * A file refused under one version of its bundle's description (a key only the next version
     * describes) stayed refused once that version was resolved, until the file was touched again.
     */
    @Test
    void aRejectedFileIsCheckedAgainWhenABundleIsResolvedAndAppliedIfValidNow() throws Exception {
        BundleListener listener = bundleListener();
        Bundle logBundle = installedDescribingMsfLog("log-older.xml");
        File file = write("msf.log.cfg", "level = WARN", "hosts = a.example");
        gate.install(file);
        assertThat(gate.rejected()).extracting(ConfigProblem::key).containsExactly("hosts");

        describeMsfLog(logBundle, "log.xml"); // the bundle updated to a version that describes hosts
        listener.bundleChanged(new BundleEvent(BundleEvent.RESOLVED, logBundle));
        rechecked();

        verify(fileInstall).update(file);
        assertThat(gate.rejected()).isEmpty();
        assertThat(applied.lastApplied(file.toPath())).isEqualTo(Map.of("level", "WARN", "hosts", "a.example"));
        verify(log).info("{}: valid now, applied", "etc/msf.log.cfg");
    }

    /**
     * A service's new version is installed beside the old one (a hot swap), whose description, found
     * first, still refuses the file; once the old version is uninstalled the new one's decides.
     */
    @Test
    void aRejectedFileIsCheckedAgainWhenTheBundleWhoseDescriptionRefusedItIsUninstalled() throws Exception {
        BundleListener listener = bundleListener();
        Bundle older = installedDescribingMsfLog("log-older.xml");
        File file = write("msf.log.cfg", "level = WARN", "hosts = a.example");
        gate.install(file);
        Bundle newer = mock(Bundle.class);
        describeMsfLog(newer, "log.xml");
        Bundle endpoints = context.getBundles()[0];
        when(context.getBundles()).thenReturn(new Bundle[] {endpoints, older, newer});
        listener.bundleChanged(new BundleEvent(BundleEvent.RESOLVED, newer));
        rechecked();
        assertThat(gate.rejected()).extracting(ConfigProblem::key).containsExactly("hosts");

        when(context.getBundles()).thenReturn(new Bundle[] {endpoints, newer});
        listener.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, older));
        rechecked();

        verify(fileInstall).update(file);
        assertThat(gate.rejected()).isEmpty();
    }

    /**
     * The bundle that describes a refused file's PID uninstalled, and none other describing it: the file is
     * not taken as valid for want of a description (its refused values would reach Config Admin unchecked);
     * it stays refused, and the previous configuration in force, until a description takes it.
     */
    @Test
    void aRejectedFileIsNotAppliedUncheckedWhenTheBundleDescribingItIsUninstalled() throws Exception {
        BundleListener listener = bundleListener();
        Bundle logBundle = installedDescribingMsfLog("log.xml");
        File file = write("msf.log.cfg", "level = LOUD");
        gate.install(file);
        Bundle endpoints = context.getBundles()[0];

        when(context.getBundles()).thenReturn(new Bundle[] {endpoints});
        listener.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, logBundle));
        rechecked();

        verify(fileInstall, never()).update(any());
        assertThat(gate.rejected()).extracting(ConfigProblem::key).containsExactly("level");
    }

    /**
     * A service file refused for a parameter its service's bundle does not describe, that bundle uninstalled:
     * the parameter is no longer judged by anything, yet the file is not taken for valid; it stays refused.
     */
    @Test
    void aServiceFileRefusedForAParameterIsNotAppliedUncheckedWhenTheBundleDescribingItIsUninstalled()
            throws Exception {
        BundleListener listener = bundleListener();
        Bundle endpoints = context.getBundles()[0];
        Bundle deployer = describing("msf.service", true, "service.xml");
        Bundle demo = describing("msf.demo", false, "demo.xml");
        when(context.getBundles()).thenReturn(new Bundle[] {endpoints, deployer, demo});
        Configuration service = mock(Configuration.class);
        when(configAdmin.getFactoryConfiguration("msf.service", "demo", "?")).thenReturn(service);
        File file = write("msf.service~demo.cfg", "location = demo.jar", "pid = msf.demo", "param.colour = red");
        gate.install(file);
        assertThat(gate.rejected()).extracting(ConfigProblem::key).containsExactly("param.colour");

        when(context.getBundles()).thenReturn(new Bundle[] {endpoints, deployer});
        listener.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, demo));
        rechecked();

        verify(service, never()).update(any());
        verify(service, never()).updateIfDifferent(any());
        assertThat(gate.rejected()).extracting(ConfigProblem::key).containsExactly("param.colour");
    }

    /** A bundle whose Metatype describes {@code pid} (a factory PID if {@code factory}) as {@code resource} does. */
    private Bundle describing(String pid, boolean factory, String resource) {
        Bundle bundle = mock(Bundle.class);
        MetaTypeInformation info = mock(MetaTypeInformation.class);
        when(info.getPids()).thenReturn(factory ? new String[0] : new String[] {pid});
        when(info.getFactoryPids()).thenReturn(factory ? new String[] {pid} : new String[0]);
        when(info.getObjectClassDefinition(pid, null)).thenReturn(TestMetatype.load(resource).apply(pid).orElseThrow()
                .ocd());
        when(metatype.getMetaTypeInformation(bundle)).thenReturn(info);
        return bundle;
    }

    /** Checked again, a file refused for the same reasons as before is not told again. */
    @Test
    void aRejectedFileStillRefusedTheSameIsNotToldAgainWhenABundleIsResolved() throws Exception {
        BundleListener listener = bundleListener();
        Bundle logBundle = installedDescribingMsfLog("log.xml");
        File file = write("msf.log.cfg", "level = LOUD");
        gate.install(file);
        List<ConfigProblem> refused = gate.rejected();
        verify(log).error(anyString(), any(ConfigProblem.class), anyString());

        listener.bundleChanged(new BundleEvent(BundleEvent.RESOLVED, logBundle));
        rechecked();

        verify(log).error(anyString(), any(ConfigProblem.class), anyString()); // still once
        assertThat(gate.rejected()).isEqualTo(refused);
        verify(fileInstall, never()).update(any());
    }

    private BundleListener bundleListener() {
        ArgumentCaptor<BundleListener> listener = ArgumentCaptor.forClass(BundleListener.class);
        verify(context).addBundleListener(listener.capture());
        return listener.getValue();
    }

    /** A bundle beside the endpoint's whose Metatype describes msf.log as {@code resource} does. */
    private Bundle installedDescribingMsfLog(String resource) {
        Bundle logBundle = mock(Bundle.class);
        Bundle[] bundles = context.getBundles();
        when(context.getBundles()).thenReturn(new Bundle[] {bundles[0], logBundle});
        describeMsfLog(logBundle, resource);
        return logBundle;
    }

    private void describeMsfLog(Bundle logBundle, String resource) {
        MetaTypeInformation info = mock(MetaTypeInformation.class);
        when(info.getPids()).thenReturn(new String[] {"msf.log"});
        when(info.getObjectClassDefinition("msf.log", null))
                .thenReturn(TestMetatype.load(resource).apply("msf.log").orElseThrow().ocd());
        when(metatype.getMetaTypeInformation(logBundle)).thenReturn(info);
    }

    @Test
    void whenDisabledEveryFileIsHandedOnUnchecked() throws Exception {
        gate.modified(enabled(false));
        File file = write("msf.net.endpoint-echo.cfg", "port = abc");

        gate.install(file);

        verify(fileInstall).update(file);
        assertThat(gate.rejected()).isEmpty();
        assertThat(applied.lastApplied(file.toPath())).as("applied as FileInstall reads it: not known here").isNull();
    }

    /**
     * Disabled, the gate still reads the first version of a {@code factory~name} file itself, to create its
     * configuration: a password whose {@code \\u} is not followed by four hex digits failed the install with
     * the reader's message, which quotes the four characters after it, and FileInstall logs the failure.
     */
    @Test
    void whenDisabledAPasswordOfATildeFileThatCannotBeReadIsNotRepeatedInTheFailure() throws Exception {
        gate.modified(enabled(false));
        File file = write("msf.net.endpoint~echo.cfg", "handler = echo", "tlsKeyStorePassword = hunt\\uer2hunter2");

        assertThatThrownBy(() -> gate.install(file)).hasMessageContaining("the password has a \\u escape")
                .hasMessageNotContaining("er2h");
    }

    @Test
    void withoutFileInstallsInstallerAFileFailsLoudly() throws Exception {
        gate.unbindFileInstallConfigs(fileInstall);
        File file = write("msf.net.endpoint-echo.cfg", "handler = echo");

        assertThatIllegalStateException().isThrownBy(() -> gate.install(file))
                .withMessageContaining("etc/msf.net.endpoint-echo.cfg is not applied");
    }

    /**
     * The installer was looked up before the file was checked: a broken file failed for the installer's
     * absence alone, neither listed by config:rejected nor logged with what is wrong with it.
     */
    @Test
    void withoutFileInstallsInstallerABrokenFileIsRefusedForWhatIsWrongWithIt() throws Exception {
        gate.unbindFileInstallConfigs(fileInstall);
        File file = write("msf.net.endpoint~echo.cfg", "handler = echo", "transport = sctp");

        gate.install(file);

        assertThat(gate.rejected()).extracting(ConfigProblem::toString).containsExactly(
                "etc/msf.net.endpoint~echo.cfg:2: key 'transport': 'sctp' is not one of tcp-server, udp");
        verify(log).error("{}; {}", gate.rejected().get(0), "nothing from this file is applied until it is fixed");
    }

    @Test
    void anEncodingTheJvmDoesNotKnowIsRefusedNamingTheProperty() {
        when(context.getProperty("felix.fileinstall.configEncoding")).thenReturn("UTF-9");

        assertThatThrownBy(() -> new ConfigGate(enabled(true), context, metatype, configAdmin, applied, gateSwitch, log))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("felix.fileinstall.configEncoding = 'UTF-9': the JVM knows no such charset");
    }

    /**
     * The agent's token and TLS passwords go into etc/msf.agent.cfg, shipped rw-r--r-- in an etc/ that
     * others may enter: every user of the machine could read the token and join the agent. A file that
     * gives a password and that others may read is applied, with a WARN naming the file, the key (not its
     * value) and what to do; an owner-only one, or one whose password is empty, says nothing.
     */
    @Test
    void aPasswordInAFileOthersMayReadIsWarnedOfWithoutItsValue() throws Exception {
        // JUnit makes its folder owner-only, which keeps others out of etc/ by itself (ReadableSecretsTest)
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home.resolve("etc"), PosixFilePermissions.fromString("rwxr-xr-x"));
        File shared = write("msf.net.endpoint-echo.cfg", "handler = echo", "tlsKeyStorePassword = s3cret");
        Files.setPosixFilePermissions(shared.toPath(), PosixFilePermissions.fromString("rw-r--r--"));
        File own = write("msf.net.endpoint-own.cfg", "handler = echo", "tlsKeyStorePassword = s3cret");
        Files.setPosixFilePermissions(own.toPath(), PosixFilePermissions.fromString("rw-------"));
        File none = write("msf.net.endpoint-none.cfg", "handler = echo", "tlsKeyStorePassword =");
        Files.setPosixFilePermissions(none.toPath(), PosixFilePermissions.fromString("rw-r--r--"));

        gate.install(shared);
        gate.install(own);
        gate.install(none);

        verify(fileInstall).update(shared);
        verify(log).warn(eq("{}: {}"), eq("etc/msf.net.endpoint-echo.cfg"), argThat((String text) -> text.equals(
                "key 'tlsKeyStorePassword' holds a password, and other users may read the file (rw-r--r--): make it"
                        + " owner-only (chmod 600 etc/msf.net.endpoint-echo.cfg)")));
        verify(log, never()).warn(anyString(), eq("etc/msf.net.endpoint-own.cfg"), any());
        verify(log, never()).warn(anyString(), eq("etc/msf.net.endpoint-none.cfg"), any());
        verify(log, never()).warn(anyString(), any(), contains("s3cret"));
    }

    /**
     * What a console hides (msf:param of the deployer): the keys the PID's description types PASSWORD, as
     * the gate's own messages hide them; a factory configuration's by its factory PID.
     */
    @Test
    void thePasswordsOfAPidAreTheKeysItsDescriptionTypesPassword() {
        assertThat(gate.passwords("msf.net.endpoint")).contains("tlsKeyStorePassword").doesNotContain("handler");
        assertThat(gate.passwords("msf.net.endpoint~echo")).contains("tlsKeyStorePassword");
        assertThat(gate.passwords("msf.undescribed")).isEmpty();
    }
}
