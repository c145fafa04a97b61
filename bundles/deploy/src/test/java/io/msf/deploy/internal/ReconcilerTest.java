package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.config.api.ConfigProblem;
import io.msf.config.api.ConfigValidation;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
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
        verify(context).addBundleListener(any());
        verify(context).registerService(eq(ConfigurationListener.class), any(ConfigurationListener.class), any());
        ranAllHandedOver();
        verify(context).getBundles(); // the running services adopted
    }

    /**
     * The deployer as DS has it once its constructor returned, in a started framework with no
     * bundles: the references it takes there given, the optional ones not set yet.
     */
    private Reconciler constructedAsByDs() throws Exception {
        when(context.getProperty("msf.data")).thenReturn(data.toString());
        when(context.getBundles()).thenReturn(new Bundle[0]);
        when(context.getBundle(0L)).thenReturn(framework);
        when(framework.getState()).thenReturn(Bundle.ACTIVE);
        doReturn(mock(ServiceRegistration.class)).when(context).registerService(any(Class.class), any(Object.class), any());
        return new Reconciler(context, mock(ConfigurationAdmin.class), mock(ServiceComponentRuntime.class),
                mock(Logger.class));
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
