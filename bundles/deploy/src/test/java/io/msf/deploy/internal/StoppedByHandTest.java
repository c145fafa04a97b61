package io.msf.deploy.internal;

import static io.msf.deploy.internal.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

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
    private Reconciliation reconciliation;
    private final DesiredServices services = new DesiredServices(() -> reconciliation);
    private Bundle bundle;

    @BeforeEach
    void runningAndStoppedByHand() {
        reconciliation = TestDeployers.deployer(framework, records, eventAdmin);
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        bundle = framework.installed.iterator().next();
        framework.stoppedByHand.add(bundle);
        framework.calls.clear();
        services.pass();
    }

    @Test
    void theServiceIsFailedOnceAndLeftStoppedWhateverPassesCome() {
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem()).isEqualTo(STOPPED);
        assertThat(services.state("demo").bundleIds()).containsExactly(bundle.getBundleId());
        services.pass();
        services.pass();
        assertThat(framework.calls).as("the operator's stop is not undone").isEmpty();
        assertThat(eventAdmin.topics()).containsExactly(Deployer.TOPIC_INSTALLED, Deployer.TOPIC_FAILED);
    }

    @Test
    void theConfigurationWrittenAgainStartsItAgain() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar")); // msf:deploy demo repo/demo-1.0.0.jar
        services.pass();
        assertThat(framework.calls).containsExactly("start again [" + bundle + "]");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").problem()).isEmpty();
    }

    @Test
    void aNewVersionStartsTheStoppedOneAgainAndSwapsToIt() {
        services.configure(spec("demo", "repo/demo-2.0.0.jar"));
        services.pass();
        assertThat(framework.calls).startsWith("start again [" + bundle + "]", "bringUp [repo/demo-2.0.0.jar]")
                .contains("remove [" + bundle + "]");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").version()).isEqualTo("2.0.0");
    }

    @Test
    void startedAgainByHandTheServiceIsAsBefore() {
        framework.stoppedByHand.remove(bundle);
        services.pass();
        assertThat(framework.calls).isEmpty();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").problem()).isEmpty();
    }

    @Test
    void startedByHandWithoutItsStartWorkingTheServiceStaysFailedWithTheReason() {
        framework.stoppedByHand.remove(bundle);
        framework.notActive.add(bundle); // start <id>, its activator throwing: RESOLVED, its start setting on
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem())
                .isEqualTo("bundle demo 1.0.0 [101] started by hand, and not ACTIVE; the service"
                        + " is started again when its configuration changes, or by hand");
        assertThat(eventAdmin.topics())
                .containsExactly(Deployer.TOPIC_INSTALLED, Deployer.TOPIC_FAILED, Deployer.TOPIC_FAILED);
        services.pass();
        assertThat(eventAdmin.topics()).as("said once").hasSize(3);
        assertThat(framework.calls).isEmpty();

        framework.notActive.remove(bundle); // started by hand again, and it starts
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").problem()).isEmpty();
    }

    @Test
    void stoppedByHandAgainAfterAStartByHandThatFailedTheServiceSaysItWasStopped() {
        framework.stoppedByHand.remove(bundle);
        framework.notActive.add(bundle); // start <id>, its activator throwing
        services.pass();
        framework.notActive.remove(bundle);
        framework.stoppedByHand.add(bundle); // stop <id>: its start setting off
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem()).isEqualTo(STOPPED);
        assertThat(eventAdmin.topics()).containsExactly(Deployer.TOPIC_INSTALLED, Deployer.TOPIC_FAILED,
                Deployer.TOPIC_FAILED, Deployer.TOPIC_FAILED);
        services.pass();
        assertThat(eventAdmin.topics()).as("said once").hasSize(4);
        assertThat(framework.calls).isEmpty();
    }

    @Test
    void aPassDuringAStartByHandWaitsForTheStartToEndInsteadOfTakingItAsFailed() {
        framework.stoppedByHand.remove(bundle);
        framework.starting.add(bundle); // start <id>, its activator slow: STARTING
        services.pass();
        assertThat(services.state("demo").problem()).as("as it was: nothing judged yet").isEqualTo(STOPPED);
        assertThat(eventAdmin.topics()).containsExactly(Deployer.TOPIC_INSTALLED, Deployer.TOPIC_FAILED);
        assertThat(framework.calls).isEmpty();

        framework.starting.remove(bundle); // its activator returned: ACTIVE, and STARTED makes a pass
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").problem()).isEmpty();
        assertThat(eventAdmin.topics()).containsExactly(Deployer.TOPIC_INSTALLED, Deployer.TOPIC_FAILED);
    }

    @Test
    void aBundleStartedByHandWithLazyActivationIsNoLongerSaidToBeStoppedAndIsAsBeforeOnceActive() {
        framework.stoppedByHand.remove(bundle);
        framework.awaitingLazyActivation.add(bundle); // start <id> with its lazy activation policy: STARTING
        services.pass(); // made by LAZY_ACTIVATION
        assertThat(services.state("demo").problem()).isEqualTo(
                "bundle demo 1.0.0 [101] started by hand with lazy activation: ACTIVE at the first load of a class"
                        + " from it");
        assertThat(eventAdmin.topics()).as("not a new failure").containsExactly(Deployer.TOPIC_INSTALLED,
                Deployer.TOPIC_FAILED);
        assertThat(framework.calls).isEmpty();

        framework.awaitingLazyActivation.remove(bundle); // a class of it loaded: ACTIVE, and STARTED makes a pass
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").problem()).isEmpty();
    }

    @Test
    void stoppedByHandAgainWhileAwaitingItsLazyActivationItSaysItIsStopped() {
        framework.stoppedByHand.remove(bundle);
        framework.awaitingLazyActivation.add(bundle);
        services.pass();
        assertThat(services.state("demo").problem()).contains("started by hand with lazy activation");
        framework.awaitingLazyActivation.remove(bundle);
        framework.stoppedByHand.add(bundle);
        services.pass();
        assertThat(services.state("demo").problem()).isEqualTo(STOPPED);
    }

    @Test
    void aVersionThatDoesNotStartAgainStaysFailedWithTheReasonUntilTheNextChange() {
        framework.notStartingAgain = "demo 1.0.0 [101] does not start: Activator start error";
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem()).isEqualTo(
                "stopped by hand, and does not start again: demo 1.0.0 [101] does not start: Activator start error");
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).isEmpty();
        assertThat(services.state("demo").problem()).as("the reason stays, its bundle stopped again")
                .startsWith("stopped by hand, and does not start again: ");
    }

    @Test
    void disablingItUninstallsIt() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "enabled", "false"));
        services.pass();
        // drained as any service taken away: stopped, it has nothing in flight, and that ends at once
        assertThat(framework.calls).containsExactly("hold [" + bundle + "]", "drain [" + bundle + "]",
                "remove [" + bundle + "]", "params kept only for []");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.DISABLED);
    }

    @Test
    void enabledAgainItIsAServiceLikeAnyOtherAndAFailedInstallIsTriedAgainOnceItsJarIsComplete() throws IOException {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "enabled", "false"));
        services.pass();
        Path jar = folder.resolve("demo-2.0.0.jar");
        Files.write(jar, new byte[100]); // still being copied
        String location = "file:" + jar;
        framework.failing.put(location, jar + " cannot be installed: java.util.zip.ZipException: zip END header not found");
        services.configure(spec("demo", location));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem()).startsWith("install of [" + location + "] failed");

        Files.write(jar, new byte[300]); // the copy is complete
        framework.failing.remove(location);
        assertThat(reconciliation.retryChangedJars()).as("changed, seen once").isFalse();
        assertThat(reconciliation.retryChangedJars()).as("the stop by hand went with the version it stopped")
                .isTrue();
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").version()).isEqualTo("2.0.0");
    }
}
