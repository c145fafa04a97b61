package io.msf.deploy.internal;

import static io.msf.deploy.internal.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.service.event.Event;
import org.osgi.service.log.Logger;

/**
 * A container started again after a change failed: its framework starts afresh (cache wiped, or the
 * deployer's services uninstalled by the launcher on a kept cache), and a new deployer finds only the
 * configurations and what the deployer before it kept on disk.
 */
class RestartFromLastGoodTest {

    private static final String V1 = "repo/demo-1.0.0.jar";
    private static final String V2 = "repo/demo-2.0.0.jar";
    private static final String V3 = "repo/demo-3.0.0.jar";

    @TempDir
    Path records;

    private FakeFramework framework = new FakeFramework();
    private final TestDeployers.RecordingEventAdmin eventAdmin = new TestDeployers.RecordingEventAdmin();
    private final List<Event> events = eventAdmin.events;
    private Reconciliation deployer;
    private final DesiredServices services = new DesiredServices(() -> deployer);

    private Reconciliation newDeployer() {
        return TestDeployers.deployer(framework, records, eventAdmin);
    }

    /** The container stopped and started again: nothing installed, nothing for the new deployer to adopt. */
    private void restartContainer(Map<String, String> failing) {
        framework = new FakeFramework();
        framework.failing.putAll(failing);
        deployer = newDeployer();
        deployer.adopt(new Bundle[0], services.desired);
        framework.calls.clear();
        events.clear();
        services.pass();
    }

    /** demo 1.0.0 serves with interval=1; the swap to 2.0.0 with interval=2 failed. */
    private void failedSwap() {
        deployer = newDeployer();
        services.configure(spec("demo", V1, "param.interval", "1"));
        services.pass();
        framework.failing.put(V2, "component x failed to activate: boom");
        services.configure(spec("demo", V2, "param.interval", "2"));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
    }

    @Test
    void aSwapThatFailedBeforeTheRestartIsNotTriedAgainTheLastGoodVersionServesWithItsParameters() {
        failedSwap();
        restartContainer(Map.of(V2, "component x failed to activate: boom"));

        assertThat(framework.calls).as("the last good version, not the configuration that failed")
                .containsExactly("bringUp [" + V1 + "]", "params {interval=1} for [demo 1.0.0 [101]]",
                        "release [demo 1.0.0 [101]]");
        Bundle running = framework.installed.iterator().next();
        assertThat(framework.startedWith.get(running)).isEqualTo(Map.of("interval", "1"));
        ServiceState state = services.state("demo");
        assertThat(state.phase()).isEqualTo(Phase.FAILED);
        assertThat(state.version()).isEqualTo("1.0.0");
        assertThat(state.problem()).isEqualTo("update to [" + V2 + "] failed before the restart: component x failed"
                + " to activate: boom; version 1.0.0 keeps serving with the parameters it had");
        assertThat(eventAdmin.topics()).containsExactly(Deployer.TOPIC_FAILED);
        assertThat(events.get(0).getProperty("problem")).isEqualTo(state.problem());

        framework.calls.clear();
        services.pass();
        services.pass();
        assertThat(framework.calls).as("not tried again until the configuration changes").isEmpty();
        assertThat(eventAdmin.topics()).as("posted once").containsExactly(Deployer.TOPIC_FAILED);

        restartContainer(Map.of(V2, "component x failed to activate: boom"));
        assertThat(framework.calls).as("and so after every restart").startsWith("bringUp [" + V1 + "]")
                .doesNotContain("bringUp [" + V2 + "]");
        assertThat(services.state("demo").problem()).startsWith("update to [" + V2 + "] failed before the restart:");
    }

    @Test
    void aLiveParameterChangeThatWasNotTakenBeforeTheRestartIsNotTriedAgain() {
        deployer = newDeployer();
        services.configure(spec("demo", V1, "param.limit", "10"));
        services.pass();
        framework.notTaken.put(Map.of("limit", "500"), "demo 1.0.0 [101]: component bounded failed to activate: x");
        services.configure(spec("demo", V1, "param.limit", "500"));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);

        restartContainer(Map.of());
        Bundle running = framework.installed.iterator().next();
        assertThat(framework.startedWith.get(running)).isEqualTo(Map.of("limit", "10"));
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem())
                .isEqualTo("parameters not taken before the restart: demo 1.0.0 [101]: component"
                        + " bounded failed to activate: x; version 1.0.0 keeps serving with the parameters it had");
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).isEmpty();
    }

    @Test
    void aConfigurationChangedWhileTheContainerWasDownIsTriedAndKeptOnceItServes() {
        failedSwap();
        services.configure(spec("demo", V3, "param.interval", "3"));
        restartContainer(Map.of(V2, "component x failed to activate: boom"));

        assertThat(framework.calls).startsWith("bringUp [" + V3 + "]").doesNotContain("bringUp [" + V1 + "]");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").version()).isEqualTo("3.0.0");
        assertThat(eventAdmin.topics()).containsExactly(Deployer.TOPIC_INSTALLED);

        restartContainer(Map.of());
        assertThat(framework.calls).as("what served is what is configured: installed as it is")
                .containsExactly("bringUp [" + V3 + "]", "params {interval=3} for [demo 3.0.0 [101]]",
                        "release [demo 3.0.0 [101]]");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);

        String v4 = "repo/demo-4.0.0.jar";
        framework.failing.put(v4, "component x failed to activate: boom");
        services.configure(spec("demo", v4, "param.interval", "3"));
        services.pass();
        restartContainer(Map.of(v4, "component x failed to activate: boom"));
        assertThat(framework.calls).as("3.0.0 is the last good version now")
                .startsWith("bringUp [" + V3 + "]").doesNotContain("bringUp [" + V1 + "]", "bringUp [" + v4 + "]");
        assertThat(services.state("demo").problem())
                .isEqualTo("update to [" + v4 + "] failed before the restart: component x failed"
                        + " to activate: boom; version 3.0.0 keeps serving");
    }

    @Test
    void aChangedConfigurationThatFailsAfterTheRestartLeavesTheLastGoodVersionServingAsAFailedSwapDoes() {
        failedSwap();
        services.configure(spec("demo", V3, "param.interval", "3"));
        restartContainer(Map.of(V3, "not ready within healthTimeoutMillis=10000: health DOWN"));

        assertThat(framework.calls).containsExactly("bringUp [" + V3 + "]", "params {interval=3} for [demo 3.0.0 [101]]",
                "params kept only for []", "bringUp [" + V1 + "]",
                "params {interval=1} for [demo 1.0.0 [102]]", "release [demo 1.0.0 [102]]");
        assertThat(framework.params).isEqualTo(Map.of(framework.installed.iterator().next(), Map.of("interval", "1")));
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").version()).isEqualTo("1.0.0");
        assertThat(services.state("demo").problem()).isEqualTo("update to [" + V3 + "] failed: not ready within"
                + " healthTimeoutMillis=10000: health DOWN; version 1.0.0 keeps serving with the parameters it had");
        assertThat(eventAdmin.topics()).containsExactly(Deployer.TOPIC_FAILED);
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).isEmpty();

        restartContainer(Map.of(V3, "not ready within healthTimeoutMillis=10000: health DOWN"));
        assertThat(framework.calls).as("now it is the configuration that failed before")
                .startsWith("bringUp [" + V1 + "]").doesNotContain("bringUp [" + V3 + "]");
        assertThat(services.state("demo").problem())
                .startsWith("update to [" + V3 + "] failed before the restart: not ready");
    }

    /**
     * As above, but the container begins to stop while the changed configuration is tried: the stop most
     * likely made it fail (no bundle can be installed or started any more), so it is not kept as the
     * configuration that failed, as a swap's failure is not: the next start tries it again.
     */
    @Test
    void aChangedConfigurationThatFailsAfterTheRestartAsTheContainerStopsIsTriedAgainAtTheNextStart() {
        failedSwap();
        services.configure(spec("demo", V3, "param.interval", "3"));
        framework = new FakeFramework();
        framework.failing.put(V3, "The framework has been shutdown.");
        framework.duringBringUp = () -> framework.containerStopping = true;
        deployer = newDeployer();
        deployer.adopt(new Bundle[0], services.desired);
        services.pass();
        assertThat(services.state("demo").version()).isEqualTo("1.0.0");

        restartContainer(Map.of());

        assertThat(framework.calls).as("the change the stop cut is tried again").startsWith("bringUp [" + V3 + "]");
        assertThat(services.state("demo").version()).isEqualTo("3.0.0");
    }

    @Test
    void aLastGoodVersionWhoseJarIsGoneIsReportedAndTheConfigurationTriedAsWithoutARecord() {
        failedSwap();
        String gone = "key 'location': " + V1 + " is not in repository/ or ~/.m2/repository";
        restartContainer(Map.of(V1, gone));
        assertThat(framework.calls).startsWith("bringUp [" + V1 + "]").contains("bringUp [" + V2 + "]");
        assertThat(services.state("demo").phase()).as("the configuration works now").isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").version()).isEqualTo("2.0.0");

        framework = new FakeFramework();
        failedSwap();
        restartContainer(Map.of(V1, gone, V2, "component x failed to activate: boom"));
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").version()).isEmpty();
        assertThat(services.state("demo").problem())
                .isEqualTo("install of [" + V2 + "] failed: component x failed to activate: boom;"
                        + " the last good version [" + V1 + "] cannot be installed again: " + gone);
    }

    /**
     * A configuration refused (made through Config Admin, not a file the gate checked) while the version
     * before it served: after a restart that version serves again, as it did before; the configuration
     * refused stays FAILED. A jar of the deploy folder refused brings nothing back.
     */
    @Test
    void aConfigurationRefusedBeforeTheRestartLeavesTheLastGoodVersionServing() {
        deployer = newDeployer();
        services.configure(spec("demo", V1, "param.interval", "1"));
        services.pass();
        String refused = "etc/msf.service~demo.cfg: key 'location': empty; name the service's bundle(s)";
        services.desired.put("demo", new Desired(null, refused, 2, "etc/msf.service~demo.cfg"));
        services.pass();

        restartContainer(Map.of());
        assertThat(framework.calls).containsExactly("bringUp [" + V1 + "]",
                "params {interval=1} for [demo 1.0.0 [101]]", "release [demo 1.0.0 [101]]");
        ServiceState state = services.state("demo");
        assertThat(state.phase()).isEqualTo(Phase.FAILED);
        assertThat(state.version()).isEqualTo("1.0.0");
        assertThat(state.problem()).isEqualTo(refused + "; version 1.0.0 keeps serving");
        assertThat(eventAdmin.topics()).containsExactly(Deployer.TOPIC_FAILED);

        services.configure(spec("demo", V2));
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).as("configured right again: a swap from the version brought back")
                .startsWith("bringUp [" + V2 + "]");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);

        services.desired.put("demo", new Desired(null, "deploy/demo.jar: not a zip file", 0, "deploy/demo.jar", true));
        services.pass();
        restartContainer(Map.of());
        assertThat(framework.calls).as("a refused jar: its bundle may run as another service now").isEmpty();
    }

    /**
     * A service of a jar of the deploy folder whose jar there was then overwritten by one that does not
     * read (garbage, cut short: its bundle name unread with it) kept serving until the container
     * restarted, and then nothing of it ran: its last good state was only brought back for a refused
     * configuration. The jar refused is at the very file that version was taken from: that version serves
     * again from the copy kept of it, the service FAILED with the refusal, as while the container ran. A
     * jar refused at another file is not tied to it.
     */
    @Test
    void aJarOverwrittenByOneThatDoesNotReadLeavesTheVersionTakenFromThatFileServingAfterTheRestart() {
        deployer = newDeployer();
        services.desired.put("demo", new Desired(spec("demo", V1), "", 0, "deploy/demo.jar", true));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);

        String refused = "deploy/demo.jar is no jar: it does not start as a zip does (it starts 'garbage');"
                + " nothing of it is installed";
        services.desired.put("demo", new Desired(null, refused, 0, "deploy/demo.jar", true));
        restartContainer(Map.of());
        assertThat(framework.calls).as("the version taken from deploy/demo.jar, from the copy kept of it")
                .containsExactly("bringUp [" + V1 + "]", "params {} for [demo 1.0.0 [101]]",
                        "release [demo 1.0.0 [101]]");
        ServiceState state = services.state("demo");
        assertThat(state.phase()).isEqualTo(Phase.FAILED);
        assertThat(state.version()).isEqualTo("1.0.0");
        assertThat(state.problem()).isEqualTo(refused + "; version 1.0.0 keeps serving");
        assertThat(eventAdmin.topics()).containsExactly(Deployer.TOPIC_FAILED);

        services.desired.put("demo", new Desired(null, "deploy/other.jar is empty", 0, "deploy/other.jar", true));
        restartContainer(Map.of());
        assertThat(framework.calls).as("a jar refused at another file: its bundle may be another").isEmpty();
    }

    /**
     * A service of a jar of the deploy folder whose record an earlier deployer wrote, without the jar it
     * was taken from, and which a new deployer adopted running (the deployer updated in place): nothing
     * changed, so nothing was written, and the next restart with that jar overwritten by one that does not
     * read forgot the service. The first pass that finds the adopted version is that jar's (the same kept
     * copy, named by its content) ties the record to the jar's file.
     */
    @Test
    void aRecordOfAnEarlierDeployerIsTiedToTheJarItsAdoptedVersionIsTakenFrom() {
        deployer = newDeployer();
        services.desired.put("demo", new Desired(spec("demo", V1), "", 0, "deploy/demo-1.0.jar", true));
        services.pass();
        new ServiceRecords(records, mock(Logger.class))
                .write(new ServiceRecord(spec("demo", V1), null)); // as a deployer before droppedJar wrote it
        deployer = newDeployer();
        deployer.adopt(framework.installed.toArray(Bundle[]::new), services.desired);
        services.pass();

        String refused = "deploy/demo-1.0.jar is no jar: it does not start as a zip does (it starts 'garbage');"
                + " nothing of it is installed";
        services.desired.put("demo", new Desired(null, refused, 0, "deploy/demo-1.0.jar", true));
        restartContainer(Map.of());
        assertThat(framework.calls).as("the adopted version, from the copy kept of it")
                .startsWith("bringUp [" + V1 + "]");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem()).isEqualTo(refused + "; version 1.0.0 keeps serving");
    }

    @Test
    void anUndeployedServiceLeavesNothingForTheNextStart() {
        failedSwap();
        assertThat(records).as("the last good state and the failure are kept").isNotEmptyDirectory();
        services.desired.remove("demo");
        services.pass();
        assertThat(records).isEmptyDirectory();
        services.configure(spec("demo", V2, "param.interval", "2"));
        restartContainer(Map.of());
        assertThat(framework.calls).as("deployed again: its configuration, as a new service")
                .startsWith("bringUp [" + V2 + "]").doesNotContain("bringUp [" + V1 + "]");
    }

    @Test
    void aServiceTheContainerStartsWithoutLosesItsRecordOnceAllItStartsWithIsKnownAndOneOfItsNameIsNew() {
        failedSwap();
        services.configure(spec("late", V1));
        services.pass();
        services.desired.clear(); // both configurations deleted while the container was down
        restartContainer(Map.of());
        assertThat(records.resolve("demo.record")).as("kept while what the container starts with is not all known")
                .exists();

        deployer.forgetUnnamed(Set.of("late"), "nothing names it"); // say its jar lies in deploy/, not handed over yet
        assertThat(records.resolve("demo.record")).doesNotExist();
        assertThat(records.resolve("late.record")).exists();

        framework.failing.put(V3, "component x failed to activate: boom");
        services.configure(spec("demo", V3));
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).as("configured again while the container runs: a new service")
                .containsExactly("bringUp [" + V3 + "]", "params {} for [demo 3.0.0 [101]]", "params kept only for []");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").version()).isEmpty();
        assertThat(services.state("demo").problem())
                .isEqualTo("install of [" + V3 + "] failed: component x failed to activate: boom");

        framework.failing.put(V2, "component x failed to activate: boom");
        services.configure(spec("late", V2));
        services.pass();
        assertThat(services.state("late").problem()).as("a record of a service still named serves as before")
                .isEqualTo("update to [" + V2 + "] failed: component x failed to activate: boom;"
                        + " version 1.0.0 keeps serving");
    }

    @Test
    void aServiceDisabledWhileTheContainerWasDownLosesItsRecordAsOneDisabledWhileItRuns() {
        failedSwap();
        services.configure(spec("demo", V2, "param.interval", "2", "enabled", "false"));
        restartContainer(Map.of(V2, "component x failed to activate: boom"));
        assertThat(services.state("demo").phase()).isEqualTo(Phase.DISABLED);
        assertThat(records).isEmptyDirectory();

        services.configure(spec("demo", V3));
        restartContainer(Map.of(V3, "component x failed to activate: boom"));
        assertThat(framework.calls).as("enabled again: a new service").doesNotContain("bringUp [" + V1 + "]");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem())
                .isEqualTo("install of [" + V3 + "] failed: component x failed to activate: boom");
    }

    @Test
    void aRestartedDeployerOverTheLastGoodVersionDoesNotTryTheFailedSwapAgain() {
        failedSwap();
        Reconciliation restarted = newDeployer();
        restarted.adopt(framework.installed.toArray(Bundle[]::new), services.desired);
        deployer = restarted;
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).isEmpty();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem())
                .startsWith("update to [" + V2 + "] failed: component x failed to activate: boom;"
                        + " version 1.0.0 keeps serving");
    }
}
