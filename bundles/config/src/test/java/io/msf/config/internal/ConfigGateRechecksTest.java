package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.config.api.ConfigProblem;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;

/**
 * Where and how often the gate checks its refused files again after bundle events: Felix delivers
 * them all on one thread, and a refresh of many bundles sends one each.
 */
class ConfigGateRechecksTest {

    @TempDir
    Path home;

    private final BundleContext context = mock(BundleContext.class);
    private final MetaTypeService metatype = mock(MetaTypeService.class);
    private final ConfigurationAdmin configAdmin = mock(ConfigurationAdmin.class);
    private final Logger log = mock(Logger.class);
    private final ArtifactInstaller fileInstall = mock(ArtifactInstaller.class);
    private final Bundle logBundle = mock(Bundle.class);
    private File file;

    /** etc/msf.log.cfg, refused for a key the installed version of the log's bundle does not describe. */
    @BeforeEach
    void aRefusedFile() throws IOException {
        Files.createDirectories(home.resolve("etc"));
        when(context.getProperty("msf.home")).thenReturn(home.toString());
        when(context.getProperty("felix.fileinstall.dir")).thenReturn(home.resolve("etc").toString());
        when(context.getBundles()).thenReturn(new Bundle[] {logBundle});
        describeMsfLog("log-older.xml");
        file = Files.writeString(home.resolve("etc/msf.log.cfg"), "level = WARN\nhosts = a.example",
                StandardCharsets.ISO_8859_1).toFile();
    }

    private void describeMsfLog(String resource) {
        MetaTypeInformation info = mock(MetaTypeInformation.class);
        when(info.getPids()).thenReturn(new String[] {"msf.log"});
        when(info.getFactoryPids()).thenReturn(new String[0]);
        when(info.getObjectClassDefinition("msf.log", null))
                .thenReturn(TestMetatype.load(resource).apply("msf.log").orElseThrow().ocd());
        when(metatype.getMetaTypeInformation(logBundle)).thenReturn(info);
    }

    private static GateConfiguration enabled() {
        GateConfiguration config = mock(GateConfiguration.class);
        when(config.enabled()).thenReturn(true);
        return config;
    }

    private BundleListener listenerOf(ConfigGate gate) throws Exception {
        gate.bindFileInstallConfigs(fileInstall);
        gate.install(file);
        assertThat(gate.rejected()).extracting(ConfigProblem::key).containsExactly("hosts");
        ArgumentCaptor<BundleListener> listener = ArgumentCaptor.forClass(BundleListener.class);
        verify(context).addBundleListener(listener.capture());
        return listener.getValue();
    }

    /** Felix's event thread is not held up reading files: the file valid now is applied from the gate's thread. */
    @Test
    void aBundleEventLeavesTheCheckToTheGatesOwnThread() throws Exception {
        ConfigGate gate = new ConfigGate(enabled(), context, metatype, configAdmin, new AppliedFiles(),
                new GateSwitch(), log);
        BundleListener listener = listenerOf(gate);
        AtomicReference<Thread> appliedOn = new AtomicReference<>();
        doAnswer(call -> {
            appliedOn.set(Thread.currentThread());
            return null;
        }).when(fileInstall).update(file);
        describeMsfLog("log.xml"); // the bundle updated to a version that describes hosts

        listener.bundleChanged(new BundleEvent(BundleEvent.RESOLVED, logBundle));

        await().atMost(Duration.ofSeconds(10)).until(() -> appliedOn.get() != null);
        assertThat(appliedOn.get()).isNotSameAs(Thread.currentThread());
        assertThat(appliedOn.get().getName()).isEqualTo("msf-config-recheck");
        assertThat(gate.rejected()).isEmpty();
        gate.stop();
    }

    /** A refresh of many bundles: one pass over the refused files, not one per bundle. */
    @Test
    void manyBundleEventsMakeOnePass() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        ConfigGate gate = new ConfigGate(enabled(), context, metatype, configAdmin, new AppliedFiles(),
                new GateSwitch(), log, queued::add);
        BundleListener listener = listenerOf(gate);
        describeMsfLog("log.xml");

        for (int i = 0; i < 5; i++) {
            listener.bundleChanged(new BundleEvent(BundleEvent.RESOLVED, mock(Bundle.class)));
        }
        listener.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, mock(Bundle.class)));

        assertThat(queued).hasSize(1);
        verify(fileInstall, never()).update(any());
        queued.get(0).run();
        verify(fileInstall).update(file);
        assertThat(gate.rejected()).isEmpty();

        listener.bundleChanged(new BundleEvent(BundleEvent.RESOLVED, mock(Bundle.class)));
        assertThat(queued).as("an event after the pass began asks for another").hasSize(2);
    }

    /** Once the gate stops, a pass asked for before it is not made, nor any other asked for. */
    @Test
    void noPassAfterTheStop() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        ConfigGate gate = new ConfigGate(enabled(), context, metatype, configAdmin, new AppliedFiles(),
                new GateSwitch(), log, queued::add);
        BundleListener listener = listenerOf(gate);
        describeMsfLog("log.xml");
        listener.bundleChanged(new BundleEvent(BundleEvent.RESOLVED, logBundle));

        gate.stop();
        queued.forEach(Runnable::run);
        listener.bundleChanged(new BundleEvent(BundleEvent.RESOLVED, logBundle));

        verify(fileInstall, never()).update(any());
        assertThat(queued).hasSize(1);
    }
}
