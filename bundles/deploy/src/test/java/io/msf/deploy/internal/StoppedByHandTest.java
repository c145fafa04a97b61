package io.msf.deploy.internal;

import static io.msf.deploy.internal.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.service.event.Event;

/**
 * A service bundle stopped by hand ({@code stop <id>}): the service is FAILED, said once, and left
 * stopped until its configuration changes or the bundle is started again by hand.
 */
class StoppedByHandTest {

    private static final String STOPPED = "bundle demo 1.0.0 [101] stopped by hand; the service is started again"
            + " when its configuration changes, or by hand";

    private final FakeFramework framework = new FakeFramework();
    private final TestDeployers.RecordingEventAdmin eventAdmin = new TestDeployers.RecordingEventAdmin();
    @TempDir
    Path records;
    @TempDir
    Path folder;
    private final Map<String, Desired> desired = new TreeMap<>();
    private long changeCount;
    private Reconciliation reconciliation;
    private Bundle bundle;

    /** A configuration made or written again: a change count of its own. */
    private void configure(ServiceSpec spec) {
        desired.put(spec.name(), new Desired(spec, "", ++changeCount, "etc/msf.service~" + spec.name() + ".cfg"));
    }

    private void pass() {
        reconciliation.run(() -> desired);
    }

    private ServiceState state() {
        return reconciliation.states().stream().filter(s -> s.name().equals("demo")).findFirst().orElseThrow();
    }

    private List<String> topics() {
        return eventAdmin.events.stream().map(Event::getTopic).toList();
    }

    @BeforeEach
    void runningAndStoppedByHand() {
        reconciliation = TestDeployers.deployer(framework, records, eventAdmin);
        configure(spec("demo", "repo/demo-1.0.0.jar"));
        pass();
        bundle = framework.installed.iterator().next();
        framework.stoppedByHand.add(bundle);
        framework.calls.clear();
        pass();
    }

    @Test
    void theServiceIsFailedOnceAndLeftStoppedWhateverPassesCome() {
        assertThat(state().phase()).isEqualTo(Phase.FAILED);
        assertThat(state().problem()).isEqualTo(STOPPED);
        assertThat(state().bundleIds()).containsExactly(bundle.getBundleId());
        pass();
        pass();
        assertThat(framework.calls).as("the operator's stop is not undone").isEmpty();
        assertThat(topics()).containsExactly(Deployer.TOPIC_INSTALLED, Deployer.TOPIC_FAILED);
    }

    @Test
    void theConfigurationWrittenAgainStartsItAgain() {
        configure(spec("demo", "repo/demo-1.0.0.jar")); // msf:deploy demo repo/demo-1.0.0.jar
        pass();
        assertThat(framework.calls).containsExactly("start again [" + bundle + "]");
        assertThat(state().phase()).isEqualTo(Phase.ACTIVE);
        assertThat(state().problem()).isEmpty();
    }

    @Test
    void aNewVersionStartsTheStoppedOneAgainAndSwapsToIt() {
        configure(spec("demo", "repo/demo-2.0.0.jar"));
        pass();
        assertThat(framework.calls).startsWith("start again [" + bundle + "]", "bringUp [repo/demo-2.0.0.jar]")
                .contains("remove [" + bundle + "]");
        assertThat(state().phase()).isEqualTo(Phase.ACTIVE);
        assertThat(state().version()).isEqualTo("2.0.0");
    }

    @Test
    void startedAgainByHandTheServiceIsAsBefore() {
        framework.stoppedByHand.remove(bundle);
        pass();
        assertThat(framework.calls).isEmpty();
        assertThat(state().phase()).isEqualTo(Phase.ACTIVE);
        assertThat(state().problem()).isEmpty();
    }

    @Test
    void startedByHandWithoutItsStartWorkingTheServiceStaysFailedWithTheReason() {
        framework.stoppedByHand.remove(bundle);
        framework.notActive.add(bundle); // start <id>, its activator throwing: RESOLVED, its start setting on
        pass();
        assertThat(state().phase()).isEqualTo(Phase.FAILED);
        assertThat(state().problem()).isEqualTo("bundle demo 1.0.0 [101] started by hand, and not ACTIVE; the service"
                + " is started again when its configuration changes, or by hand");
        assertThat(topics()).containsExactly(Deployer.TOPIC_INSTALLED, Deployer.TOPIC_FAILED, Deployer.TOPIC_FAILED);
        pass();
        assertThat(topics()).as("said once").hasSize(3);
        assertThat(framework.calls).isEmpty();

        framework.notActive.remove(bundle); // started by hand again, and it starts
        pass();
        assertThat(state().phase()).isEqualTo(Phase.ACTIVE);
        assertThat(state().problem()).isEmpty();
    }

    @Test
    void aVersionThatDoesNotStartAgainStaysFailedWithTheReasonUntilTheNextChange() {
        framework.notStartingAgain = "demo 1.0.0 [101] does not start: Activator start error";
        configure(spec("demo", "repo/demo-1.0.0.jar"));
        pass();
        assertThat(state().phase()).isEqualTo(Phase.FAILED);
        assertThat(state().problem()).isEqualTo(
                "stopped by hand, and does not start again: demo 1.0.0 [101] does not start: Activator start error");
        framework.calls.clear();
        pass();
        assertThat(framework.calls).isEmpty();
    }

    @Test
    void disablingItUninstallsIt() {
        configure(spec("demo", "repo/demo-1.0.0.jar", "enabled", "false"));
        pass();
        assertThat(framework.calls).containsExactly("remove [" + bundle + "]", "params kept only for []");
        assertThat(state().phase()).isEqualTo(Phase.DISABLED);
    }

    @Test
    void enabledAgainItIsAServiceLikeAnyOtherAndAFailedInstallIsTriedAgainOnceItsJarIsComplete() throws IOException {
        configure(spec("demo", "repo/demo-1.0.0.jar", "enabled", "false"));
        pass();
        Path jar = folder.resolve("demo-2.0.0.jar");
        Files.write(jar, new byte[100]); // still being copied
        String location = "file:" + jar;
        framework.failing.put(location, jar + " cannot be installed: java.util.zip.ZipException: zip END header not found");
        configure(spec("demo", location));
        pass();
        assertThat(state().phase()).isEqualTo(Phase.FAILED);
        assertThat(state().problem()).startsWith("install of [" + location + "] failed");

        Files.write(jar, new byte[300]); // the copy is complete
        framework.failing.remove(location);
        assertThat(reconciliation.retryChangedJars()).as("changed, seen once").isFalse();
        assertThat(reconciliation.retryChangedJars()).as("the stop by hand went with the version it stopped")
                .isTrue();
        pass();
        assertThat(state().phase()).isEqualTo(Phase.ACTIVE);
        assertThat(state().version()).isEqualTo("2.0.0");
    }
}
