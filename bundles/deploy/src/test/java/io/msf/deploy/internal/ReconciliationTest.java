package io.msf.deploy.internal;

import static io.msf.deploy.internal.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.service.event.Event;
import org.osgi.service.log.Logger;

/** Desired against actual: what the reconciliation does to the framework, with the framework faked. */
class ReconciliationTest {

    private final FakeFramework framework = new FakeFramework();
    private final TestDeployers.RecordingEventAdmin eventAdmin = new TestDeployers.RecordingEventAdmin();
    private final List<Event> events = eventAdmin.events;
    /** Where the deployer keeps the last good state of each service (data/deploy/last-good). */
    @TempDir
    Path records;
    private Reconciliation reconciliation;
    private final DesiredServices services = new DesiredServices(() -> reconciliation);

    @BeforeEach
    void start() {
        reconciliation = newDeployer();
    }

    /** A deployer, as one starts, over the records the deployers before it kept. */
    private Reconciliation newDeployer() {
        return TestDeployers.deployer(framework, records, eventAdmin);
    }

    private Bundle onlyInstalled() {
        assertThat(framework.installed).hasSize(1);
        return framework.installed.iterator().next();
    }

    @Test
    void aConfiguredServiceIsInstalledWithItsParametersGivenBeforeItStarts() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "10"));
        services.pass();
        assertThat(framework.calls).containsExactly("bringUp [repo/demo-1.0.0.jar]",
                "params {interval=10} for [demo 1.0.0 [101]]", "release [demo 1.0.0 [101]]");
        assertThat(framework.startedWith.get(onlyInstalled())).isEqualTo(Map.of("interval", "10"));
        ServiceState state = services.state("demo");
        assertThat(state.phase()).isEqualTo(Phase.ACTIVE);
        assertThat(state.version()).isEqualTo("1.0.0");
        assertThat(eventAdmin.topics()).containsExactly(Deployer.TOPIC_INSTALLED);
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).as("nothing to do a second time").isEmpty();
    }

    /**
     * A refresh after the swap of a service another is wired to stops and starts that other one
     * (upnp when dlna is swapped): it left ACTIVE and came back, and SINCE said it had been ACTIVE
     * all along. A start of another service's bundle changes nothing.
     */
    @Test
    void anActiveServiceWhoseBundleIsStartedAgainIsActiveSinceThen() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        Instant before = services.state("demo").since();
        Instant refreshed = before.plusSeconds(60);

        reconciliation.bundleStarted(onlyInstalled().getBundleId() + 1, refreshed);
        assertThat(services.state("demo").since()).as("another bundle's start").isEqualTo(before);
        reconciliation.bundleStarted(onlyInstalled().getBundleId(), refreshed);
        assertThat(services.state("demo").since()).isEqualTo(refreshed);
        reconciliation.bundleStarted(onlyInstalled().getBundleId(), before);
        assertThat(services.state("demo").since()).as("an older start changes nothing").isEqualTo(refreshed);
    }

    @Test
    void anotherLocationSwapsNewBeforeOldIsDrainedAndRemoved() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        framework.calls.clear();
        services.configure(spec("demo", "repo/demo-2.0.0.jar"));
        services.pass();
        assertThat(framework.calls).containsExactly("bringUp [repo/demo-2.0.0.jar]", "params {} for [demo 2.0.0 [102]]",
                "release [demo 2.0.0 [102]]", "hold [demo 1.0.0 [101]]",
                "drain [demo 1.0.0 [101]]", "remove [demo 1.0.0 [101]]",
                "params kept only for [demo 2.0.0 [102]]");
        ServiceState state = services.state("demo");
        assertThat(state.version()).isEqualTo("2.0.0");
        assertThat(state.previousVersion()).isEqualTo("1.0.0");
        assertThat(reconciliation.previous("demo")).map(ServiceSpec::locations).contains(List.of("repo/demo-1.0.0.jar"));
        assertThat(eventAdmin.topics()).containsExactly(Deployer.TOPIC_INSTALLED, Deployer.TOPIC_UPDATED);
    }

    @Test
    void aSwapGivesTheNewParametersToTheNewVersionOnlyAndTheOldOneKeepsItsOwnUntilItIsRemoved() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "1"));
        services.pass();
        framework.calls.clear();
        services.configure(spec("demo", "repo/demo-2.0.0.jar", "param.interval", "2"));
        services.pass();
        assertThat(framework.calls).as("no parameters written for the old version while it ran").containsExactly(
                "bringUp [repo/demo-2.0.0.jar]", "params {interval=2} for [demo 2.0.0 [102]]",
                "release [demo 2.0.0 [102]]", "hold [demo 1.0.0 [101]]",
                "drain [demo 1.0.0 [101]]", "remove [demo 1.0.0 [101]]",
                "params kept only for [demo 2.0.0 [102]]");
        Bundle fresh = onlyInstalled();
        assertThat(framework.startedWith.get(fresh)).isEqualTo(Map.of("interval", "2"));
        assertThat(framework.params).isEqualTo(Map.of(fresh, Map.of("interval", "2")));
    }

    @Test
    void theParametersOfAVersionThatFailsGoWithItAndThoseOfTheRunningOneAreNotTouched() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "1"));
        services.pass();
        Bundle old = onlyInstalled();
        framework.calls.clear();
        framework.failing.put("repo/demo-2.0.0.jar", "not ready within healthTimeoutMillis=10000: health DOWN");
        services.configure(spec("demo", "repo/demo-2.0.0.jar", "param.interval", "2"));
        services.pass();
        assertThat(framework.calls).containsExactly("bringUp [repo/demo-2.0.0.jar]",
                "params {interval=2} for [demo 2.0.0 [102]]", "params removed for [demo 2.0.0 [102]]");
        assertThat(framework.params).isEqualTo(Map.of(old, Map.of("interval", "1")));
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
    }

    @Test
    void afterAFailedSwapTheRunningVersionKeepsItsParametersWhateverPassesComeAndTheFailureIsShown() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "1"));
        services.pass();
        Bundle old = onlyInstalled();
        framework.failing.put("repo/demo-2.0.0.jar", "component x failed to activate: boom");
        services.configure(spec("demo", "repo/demo-2.0.0.jar", "param.interval", "2"));
        services.pass();
        String problem = services.state("demo").problem();
        assertThat(problem).isEqualTo("update to [repo/demo-2.0.0.jar] failed: component x failed to activate: boom;"
                + " version 1.0.0 keeps serving with the parameters it had");

        framework.calls.clear();
        services.pass(); // as for any change of any service
        services.configure(spec("other", "repo/other-1.0.0.jar"));
        services.pass();
        assertThat(framework.calls).as("nothing done to the running version of demo")
                .noneMatch(call -> call.contains(old.toString()));
        assertThat(framework.params).containsEntry(old, Map.of("interval", "1"));
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").bundleIds()).containsExactly(old.getBundleId());
        assertThat(services.state("demo").problem()).isEqualTo(problem);
    }

    @Test
    void afterAFailedSwapThatChangedTheStartLevelTheRunningVersionKeepsItsOwnWhateverPassesCome() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        framework.failing.put("repo/demo-2.0.0.jar", "component x failed to activate: boom");
        services.configure(spec("demo", "repo/demo-2.0.0.jar", "startLevel", "6"));
        services.pass();
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).isEmpty();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
    }

    @Test
    void aFailedSwapKeepsTheOldVersionSaysWhyAndIsNotRetriedUntilTheConfigurationChanges() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        framework.failing.put("repo/demo-2.0.0.jar", "component x failed to activate: boom");
        services.configure(spec("demo", "repo/demo-2.0.0.jar"));
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).containsExactly("bringUp [repo/demo-2.0.0.jar]", "params {} for [demo 2.0.0 [102]]",
                "params removed for [demo 2.0.0 [102]]");
        ServiceState state = services.state("demo");
        assertThat(state.phase()).isEqualTo(Phase.FAILED);
        assertThat(state.version()).isEqualTo("1.0.0");
        assertThat(state.problem()).contains("component x failed to activate: boom", "version 1.0.0 keeps serving");
        assertThat(events.get(events.size() - 1).getTopic()).isEqualTo(Deployer.TOPIC_FAILED);
        assertThat(events.get(events.size() - 1).getProperty("name")).isEqualTo("demo");

        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).isEmpty();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);

        framework.failing.clear();
        services.configure(spec("demo", "repo/demo-2.0.0.jar", "healthTimeoutMillis", "20000"));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").version()).isEqualTo("2.0.0");
        assertThat(services.state("demo").problem()).isEmpty();
    }

    @Test
    void afterAFailedUpdateRollbackReturnsToTheVersionThatServesNotTheOneBeforeIt() {
        // msf:rollback is "back to the version before the last update": the last update failed, so that is
        // the version that keeps serving, with the parameters it runs with; not the one it replaced, and
        // not "no previous version" for a service whose first update failed.
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "1"));
        services.pass();
        framework.failing.put("repo/demo-2.0.0.jar", "component x failed to activate: boom");
        services.configure(spec("demo", "repo/demo-2.0.0.jar", "param.interval", "2"));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(reconciliation.rollbackTarget("demo")).map(ServiceSpec::locations)
                .contains(List.of("repo/demo-1.0.0.jar"));
        assertThat(reconciliation.rollbackTarget("demo")).map(ServiceSpec::params).contains(Map.of("interval", "1"));

        framework.failing.clear();
        services.configure(spec("demo", "repo/demo-2.0.0.jar", "param.interval", "2", "healthTimeoutMillis", "20000"));
        services.pass();
        assertThat(services.state("demo").version()).isEqualTo("2.0.0");
        framework.failing.put("repo/demo-3.0.0.jar", "component x failed to activate: boom");
        services.configure(spec("demo", "repo/demo-3.0.0.jar", "param.interval", "3"));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(reconciliation.rollbackTarget("demo")).map(ServiceSpec::locations)
                .contains(List.of("repo/demo-2.0.0.jar"));

        framework.failing.clear();
        services.configure(spec("demo", "repo/demo-3.0.0.jar", "param.interval", "3", "healthTimeoutMillis", "30000"));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(reconciliation.rollbackTarget("demo")).as("once an update succeeded: the version it replaced")
                .map(ServiceSpec::locations).contains(List.of("repo/demo-2.0.0.jar"));
    }

    @Test
    void aSwapOrInstallThatThrowsUncheckedFailsItsServiceWithTheReasonAndThePassGoesOn() {
        // A health check that returns null while the monitor is not running, SCR going away under a
        // readiness check: an unchecked exception out of a bring-up ended the whole pass, the service left
        // FAILED with no reason and the tried version's parameters left behind, the services after it
        // in the pass not deployed.
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "1"));
        services.pass();
        framework.throwing.put("repo/demo-2.0.0.jar", new NullPointerException("the health check returned null"));
        framework.throwing.put("repo/fresh-1.0.0.jar", new IllegalStateException("SCR is going away"));
        services.configure(spec("demo", "repo/demo-2.0.0.jar", "param.interval", "2"));
        services.configure(spec("fresh", "repo/fresh-1.0.0.jar"));
        services.configure(spec("other", "repo/other-1.0.0.jar"));
        framework.calls.clear();
        services.pass();

        ServiceState demo = services.state("demo");
        assertThat(demo.phase()).isEqualTo(Phase.FAILED);
        assertThat(demo.version()).isEqualTo("1.0.0");
        assertThat(demo.problem()).contains("update to [repo/demo-2.0.0.jar] failed",
                "java.lang.NullPointerException: the health check returned null", "version 1.0.0 keeps serving");
        assertThat(framework.calls).contains("params removed for [demo 2.0.0 [102]]");
        assertThat(services.state("fresh").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("fresh").problem()).contains("java.lang.IllegalStateException: SCR is going away");
        assertThat(services.state("other").phase()).isEqualTo(Phase.ACTIVE);
    }

    /**
     * A look at a bundle uninstalled at that moment (its start level read) throws: the whole pass
     * ended there, and the services after it in the pass waited for the next, which only a bundle
     * event or a change of a source brings.
     */
    @Test
    void aServiceWhoseStepThrowsUncheckedIsLoggedAndTheOthersAreReconciledInTheSamePass() {
        Logger log = mock(Logger.class);
        reconciliation = TestDeployers.deployer(framework, records, eventAdmin, List.of(), log);
        for (String name : List.of("alpha", "beta", "gamma")) {
            framework.symbolicNames.put("repo/" + name + "-1.0.0.jar", name);
            framework.symbolicNames.put("repo/" + name + "-2.0.0.jar", name);
            services.configure(spec(name, "repo/" + name + "-1.0.0.jar"));
        }
        services.pass();
        Bundle beta = framework.installed.stream().filter(b -> b.getSymbolicName().equals("beta")).findFirst()
                .orElseThrow();
        IllegalStateException uninstalled = new IllegalStateException("Bundle has been uninstalled");
        framework.unreadable.put(beta, uninstalled);
        for (String name : List.of("alpha", "beta", "gamma")) {
            services.configure(spec(name, "repo/" + name + "-2.0.0.jar"));
        }
        services.pass();

        assertThat(services.state("alpha").version()).isEqualTo("2.0.0");
        assertThat(services.state("gamma").version()).as("the service after it in the pass").isEqualTo("2.0.0");
        assertThat(services.state("gamma").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("beta").version()).isEqualTo("1.0.0");
        verify(log).error(anyString(), eq("beta"), eq(uninstalled.toString()), eq(uninstalled));

        framework.unreadable.clear();
        services.pass();
        assertThat(services.state("beta").version()).as("tried again at the next pass").isEqualTo("2.0.0");
    }

    @Test
    void aVersionUninstalledByHandAfterAFailedSwapComesBackInsteadOfTheConfigurationThatFailed() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "10"));
        services.pass();
        framework.failing.put("repo/demo-2.0.0.jar", "component x failed to activate: boom");
        services.configure(spec("demo", "repo/demo-2.0.0.jar", "param.interval", "20"));
        services.pass();
        String problem = services.state("demo").problem();
        uninstalledByHand(onlyInstalled());
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).containsExactly("remove []", "params removed for [demo 1.0.0 [101]]",
                "bringUp [repo/demo-1.0.0.jar]", "params {interval=10} for [demo 1.0.0 [103]]",
                "release [demo 1.0.0 [103]]");
        ServiceState state = services.state("demo");
        assertThat(state.phase()).isEqualTo(Phase.FAILED);
        assertThat(state.version()).isEqualTo("1.0.0");
        assertThat(state.bundleIds()).containsExactly(onlyInstalled().getBundleId());
        assertThat(state.problem()).isEqualTo(problem);

        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).as("the configuration that failed is not tried again").isEmpty();
    }

    @Test
    void aVersionUninstalledByHandWhileItsConfigurationIsRefusedComesBack() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        services.desired.put("demo",
                new Desired(null, "key 'startLevel': soon is not a number", 2, "etc/msf.service~demo.cfg"));
        services.pass();
        uninstalledByHand(onlyInstalled());
        services.pass();
        ServiceState state = services.state("demo");
        assertThat(state.phase()).isEqualTo(Phase.FAILED);
        assertThat(state.version()).isEqualTo("1.0.0");
        assertThat(state.bundleIds()).containsExactly(onlyInstalled().getBundleId());
        assertThat(state.problem()).isEqualTo("key 'startLevel': soon is not a number; version 1.0.0 keeps serving");
    }

    /** As {@code uninstall <id>} in the console leaves it. */
    private void uninstalledByHand(Bundle bundle) {
        when(bundle.getState()).thenReturn(Bundle.UNINSTALLED);
        framework.installed.remove(bundle);
    }

    @Test
    void aFailedInstallLeavesNothingAndRemovesTheParameters() {
        framework.failing.put("repo/demo-1.0.0.jar", "does not resolve: missing io.x");
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.a", "1"));
        services.pass();
        assertThat(framework.calls).containsExactly("bringUp [repo/demo-1.0.0.jar]", "params {a=1} for [demo 1.0.0 [101]]",
                "params kept only for []");
        assertThat(framework.params).isEmpty();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem())
                .contains("install of [repo/demo-1.0.0.jar] failed: does not resolve: missing io.x");
    }

    /**
     * A service of the deploy folder runs a checked copy of its jar, in data/deploy under a name the
     * operator never gave: a failed install or swap names the jar dropped too.
     */
    @Test
    void aFailureOfAServiceOfTheDeployFolderNamesTheJarDropped() {
        framework.failing.put("data/deploy/demo-1.0.0-ab.jar", "not a bundle");
        dropped("data/deploy/demo-1.0.0-ab.jar");
        assertThat(services.state("demo").problem())
                .startsWith("install of [data/deploy/demo-1.0.0-ab.jar] from deploy/demo.jar failed: not a bundle");

        dropped("data/deploy/demo-1.1.0-ef.jar");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        framework.failing.put("data/deploy/demo-2.0.0-cd.jar", "does not start: Activator start error");
        dropped("data/deploy/demo-2.0.0-cd.jar");
        assertThat(services.state("demo").problem()).isEqualTo("update to [data/deploy/demo-2.0.0-cd.jar] from"
                + " deploy/demo.jar failed: does not start: Activator start error; version 1.1.0 keeps serving");
    }

    /**
     * The jar of a configured service's bundle dropped into deploy/ would run that bundle a second time,
     * as another service (named by its symbolic name) answering to the same agent names: it is refused,
     * saying how to update the configured one, until that one no longer runs the bundle. Configured
     * services go first in a pass, so a jar named before them ({@code io.msf.dlna} before {@code player})
     * is checked against what they run once the pass has installed or removed them.
     */
    @Test
    void aJarOfTheBundleAConfiguredServiceRunsIsNotDeployedBesideIt() {
        framework.symbolicNames.put("repo/dlna-1.0.0.jar", "io.msf.dlna");
        framework.symbolicNames.put("data/deploy/io.msf.dlna-1.1.0-ab.jar", "io.msf.dlna");
        services.configure(spec("player", "repo/dlna-1.0.0.jar"));
        services.desired.put("io.msf.dlna", new Desired(spec("io.msf.dlna", "data/deploy/io.msf.dlna-1.1.0-ab.jar"),
                "", 0, "deploy/dlna-copy.jar", true));
        services.pass();

        assertThat(framework.calls).filteredOn(call -> call.startsWith("bringUp"))
                .containsExactly("bringUp [repo/dlna-1.0.0.jar]");
        assertThat(services.state("player").phase()).isEqualTo(Phase.ACTIVE);
        ServiceState jar = services.state("io.msf.dlna");
        assertThat(jar.phase()).isEqualTo(Phase.FAILED);
        assertThat(jar.bundleIds()).isEmpty();
        assertThat(jar.problem()).isEqualTo("deploy/dlna-copy.jar is not deployed: its bundle io.msf.dlna runs as"
                + " service player (etc/msf.service~player.cfg), and a second copy beside it would answer to the same"
                + " agent names. To run this jar as player, copy it into repository/ and point player's location at"
                + " it (msf:update player <its file name there>); then delete it here");
        assertThat(eventAdmin.topics()).containsExactly(Deployer.TOPIC_INSTALLED, Deployer.TOPIC_FAILED);

        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).as("refused again, nothing done").isEmpty();

        services.desired.remove("player");
        services.pass();
        assertThat(services.state("player")).isNull();
        assertThat(services.state("io.msf.dlna").phase()).as("deployed in the pass that removed player")
                .isEqualTo(Phase.ACTIVE);
        assertThat(onlyInstalled().getSymbolicName()).isEqualTo("io.msf.dlna");
        assertThat(onlyInstalled().getLocation()).contains("data/deploy/io.msf.dlna-1.1.0-ab.jar");
    }

    /**
     * The other way round, a service configured with the bundle of a jar's service that runs already:
     * the jar's service is not taken away (its requests would be lost), but listed FAILED with the reason.
     */
    @Test
    void aJarsServiceThatRunsWhenAConfiguredServiceStartsRunningItsBundleKeepsRunningAndSaysWhy() {
        framework.symbolicNames.put("repo/dlna-1.0.0.jar", "io.msf.dlna");
        framework.symbolicNames.put("data/deploy/io.msf.dlna-1.1.0-ab.jar", "io.msf.dlna");
        services.desired.put("io.msf.dlna", new Desired(spec("io.msf.dlna", "data/deploy/io.msf.dlna-1.1.0-ab.jar"),
                "", 0, "deploy/dlna-copy.jar", true));
        services.pass();
        List<Long> running = services.state("io.msf.dlna").bundleIds();
        assertThat(running).hasSize(1);

        services.configure(spec("player", "repo/dlna-1.0.0.jar"));
        services.pass();
        ServiceState jar = services.state("io.msf.dlna");
        assertThat(jar.phase()).isEqualTo(Phase.FAILED);
        assertThat(jar.bundleIds()).isEqualTo(running);
        assertThat(jar.problem()).startsWith("deploy/dlna-copy.jar is not deployed: its bundle io.msf.dlna runs as"
                + " service player (etc/msf.service~player.cfg)");
        assertThat(services.state("player").phase()).isEqualTo(Phase.ACTIVE);
    }

    /** deploy/demo.jar dropped (again), its checked copy at {@code copy}, and a pass. */
    private void dropped(String copy) {
        services.desired.put("demo", new Desired(spec("demo", copy), "", 0, "deploy/demo.jar", true));
        services.pass();
    }

    @Test
    void onlyChangedParametersReconfigureWithoutTouchingTheBundles() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.a", "1"));
        services.pass();
        framework.calls.clear();
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.a", "2"));
        services.pass();
        assertThat(framework.calls).containsExactly("params {a=2} for [demo 1.0.0 [101]]",
                "params kept only for [demo 1.0.0 [101]]");
        assertThat(services.state("demo").bundleIds()).containsExactly(101L);
        assertThat(framework.params).isEqualTo(Map.of(onlyInstalled(), Map.of("a", "2")));
    }

    /**
     * The service stops taking new requests and answers those it has before it goes, as an old
     * version does at a swap: removed at once, a service that ends its work as it stops failed them.
     */
    @Test
    void aDeletedConfigurationDrainsUninstallsAndForgetsTheService() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        services.desired.remove("demo");
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).containsExactly("hold [demo 1.0.0 [101]]", "drain [demo 1.0.0 [101]]",
                "remove [demo 1.0.0 [101]]", "params kept only for []");
        assertThat(services.state("demo")).isNull();
        assertThat(framework.installed).isEmpty();
        assertThat(eventAdmin.topics()).endsWith(Deployer.TOPIC_UNINSTALLED);
    }

    @Test
    void aDisabledServiceIsUninstalledButStaysListed() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        framework.calls.clear();
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "enabled", "false"));
        services.pass();
        assertThat(framework.calls).startsWith("hold [demo 1.0.0 [101]]", "drain [demo 1.0.0 [101]]",
                "remove [demo 1.0.0 [101]]");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.DISABLED);
        assertThat(framework.installed).isEmpty();
    }

    /**
     * The container stopping while a swap drains the old version drains that one too: left out, the
     * framework's stop would stop it with the requests it still has.
     */
    @Test
    void theVersionASwapDrainsIsDrainedTooIfTheContainerStopsMeanwhile() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "drainTimeoutMillis", "60000"));
        services.pass();
        Bundle old = onlyInstalled();
        List<String> whileDraining = new ArrayList<>();
        framework.duringDrain = () -> reconciliation.running().forEach(s -> whileDraining.add(s.name() + " "
                + s.bundles() + " " + s.drainTimeout().toMillis()));
        services.configure(spec("demo", "repo/demo-2.0.0.jar", "drainTimeoutMillis", "60000"));
        services.pass();

        Bundle fresh = framework.installed.iterator().next();
        assertThat(whileDraining).containsExactlyInAnyOrder("demo [" + fresh + "] 60000",
                "demo (the version its swap replaces) [" + old + "] 60000");
        assertThat(reconciliation.running()).as("once it is removed").extracting(StopDrain.Service::bundles)
                .containsExactly(List.of(fresh));
    }

    /**
     * Once the container's stop drain has begun, a step begun then would be cut by the stop (no bundle can be
     * installed any more) and its failure kept, so the version was not tried again at the next start.
     */
    @Test
    void noStepBeginsOnceTheContainerStops() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        Bundle running = onlyInstalled();
        framework.containerStopping = true;

        services.configure(spec("demo", "repo/demo-2.0.0.jar"));
        services.configure(spec("other", "repo/other-1.0.0.jar"));
        services.pass();

        assertThat(framework.installed).containsExactly(running);
    }

    /**
     * A swap the container's stop cut (Felix installs nothing once it stops) was kept as the version's
     * failure: the next start did not try the new version again, it ran the old one as FAILED.
     */
    @Test
    void aSwapThatFailsWhileTheContainerStopsIsTriedAgainAtTheNextStart() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        framework.duringBringUp = () -> framework.containerStopping = true;
        framework.failing.put("repo/demo-2.0.0.jar", "The framework has been shutdown.");
        services.configure(spec("demo", "repo/demo-2.0.0.jar"));
        services.pass();

        framework.containerStopping = false; // the next start
        framework.duringBringUp = () -> { };
        framework.failing.clear();
        framework.calls.clear();
        restarted().run(() -> services.desired);

        assertThat(framework.calls).contains("bringUp [repo/demo-2.0.0.jar]");
    }

    /**
     * A swap hands the service's names over: the new version released, the old one held, as released alone the
     * new one comes first only among handlers of the same service.ranking. Once the container stops nothing is
     * released: the old version, the only one taking requests, stays as it is, neither held nor removed (the
     * swap went on and removed it, and in-container callers of the service found nothing through the drain).
     */
    @Test
    void aSwapWhoseNewVersionCameUpAsTheContainerStopsLeavesTheOldOneServing() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        framework.calls.clear();
        framework.duringBringUp = () -> framework.containerStopping = true;

        services.configure(spec("demo", "repo/demo-2.0.0.jar"));
        services.pass();

        assertThat(framework.calls).contains("release refused [demo 2.0.0 [102]]")
                .doesNotContain("hold [demo 1.0.0 [101]]", "remove [demo 1.0.0 [101]]");
        assertThat(services.state("demo").version()).as("the version that serves until the stop").isEqualTo("1.0.0");
    }

    @Test
    void aServiceDisabledDrainsForTheTimeItsConfigurationGivesNow() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "drainTimeoutMillis", "60000"));
        services.pass();
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "enabled", "false", "drainTimeoutMillis", "0"));
        services.pass();
        assertThat(framework.drainLimits).containsExactly(Duration.ZERO);
    }

    @Test
    void aDeletedConfigurationDrainsForTheTimeTheServiceRanWith() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "drainTimeoutMillis", "60000"));
        services.pass();
        services.desired.remove("demo");
        services.pass();
        assertThat(framework.drainLimits).containsExactly(Duration.ofMinutes(1));
    }

    /**
     * A change of the time limits alone (no other bundles, parameters or start level) is taken by the
     * running version: the container's stop drain, the drain of a deleted configuration and the last
     * good state kept on disk went on with the limits the version was installed with, so raising
     * drainTimeoutMillis for a service with long requests still cut them at the old limit.
     */
    @Test
    void aChangeOfTheTimeLimitsAloneIsTakenByTheRunningVersion() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "drainTimeoutMillis", "5000"));
        services.pass();
        framework.calls.clear();
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "drainTimeoutMillis", "60000",
                "healthTimeoutMillis", "30000"));
        services.pass();

        assertThat(framework.calls).as("no bundle touched").isEmpty();
        assertThat(reconciliation.running()).extracting(StopDrain.Service::drainTimeout)
                .containsExactly(Duration.ofMinutes(1));
        assertThat(new ServiceRecords(records, mock(org.osgi.service.log.Logger.class)).read("demo")).map(ServiceRecord::good)
                .map(ServiceSpec::healthTimeout).contains(Duration.ofSeconds(30));
        services.desired.remove("demo");
        services.pass();
        assertThat(framework.drainLimits).containsExactly(Duration.ofMinutes(1));
    }

    /**
     * The copies of deploy folder jars a service still needs are never pruned; the version an install
     * or swap brings up was not among them until it served. Jars dropped meanwhile (three newer ones of
     * a slow swap) had its copy deleted, and the version then serving had a last good state naming a
     * file that was gone, which a restart could not install again.
     */
    @Test
    void theVersionBeingBroughtUpIsInUseAndAFailedOneNoLonger() {
        List<Optional<java.util.Set<String>>> inUse = new ArrayList<>();
        framework.duringBringUp = () -> inUse.add(reconciliation.locationsInUse());
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        services.configure(spec("demo", "repo/demo-2.0.0.jar"));
        services.pass();

        assertThat(inUse).extracting(Optional::orElseThrow).satisfiesExactly(
                install -> assertThat(install).containsExactly("repo/demo-1.0.0.jar"),
                swap -> assertThat(swap).containsExactlyInAnyOrder("repo/demo-1.0.0.jar", "repo/demo-2.0.0.jar"));

        framework.failing.put("repo/demo-3.0.0.jar", "does not start");
        services.configure(spec("demo", "repo/demo-3.0.0.jar"));
        services.pass();
        assertThat(reconciliation.locationsInUse()).as("what serves and what a rollback returns to").hasValue(
                java.util.Set.of("repo/demo-2.0.0.jar", "repo/demo-1.0.0.jar"));
    }

    /** A deployer adopting the service later must find it taking requests, with no one left to release it. */
    @Test
    void aDrainCutShortByTheDeployerStoppingLeavesTheServiceTakingRequests() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        services.desired.remove("demo");
        framework.calls.clear();
        framework.drainInterrupted = true;
        services.pass();
        assertThat(Thread.interrupted()).isTrue();
        assertThat(framework.calls).containsExactly("hold [demo 1.0.0 [101]]", "drain [demo 1.0.0 [101]]",
                "release [demo 1.0.0 [101]]");
        assertThat(framework.installed).hasSize(1);
    }

    @Test
    void aRefusedConfigurationKeepsWhatRunsAndShowsTheProblem() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        services.desired.put("demo", new Desired(null, "etc/msf.service~demo.cfg: key 'startLevel': 'x' is not a"
                + " whole number", 9, "etc/msf.service~demo.cfg"));
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).isEmpty();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").version()).isEqualTo("1.0.0");
        assertThat(services.state("demo").problem()).as("as msf:list says a failed change that leaves it serving")
                .isEqualTo("etc/msf.service~demo.cfg: key 'startLevel': 'x' is not a whole number; version 1.0.0 keeps"
                        + " serving");
        assertThat(eventAdmin.events.get(eventAdmin.events.size() - 1).getProperty("problem"))
                .isEqualTo(services.state("demo").problem());
        assertThat(reconciliation.settled("demo", 9)).isTrue();
        assertThat(reconciliation.settled("demo", 10)).as("a newer change is not carried out yet").isFalse();
    }

    /**
     * msf:undeploy waits for the service to be gone (change count -1: no configuration any more). One
     * of which nothing runs (its install failed, or it is disabled) was taken as gone before the pass
     * that removes it, which Config Admin's event of the deletion, delivered on a thread of its own,
     * asks for only later: the command failed with 'still FAILED' for a service undeployed a moment later.
     */
    @Test
    void aServiceOfWhichNothingRunsIsNotSettledAsGoneBeforeThePassThatRemovesIt() {
        framework.failing.put("repo/demo-1.0.0.jar", "not ready within healthTimeoutMillis=10000: health DOWN");
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);

        services.desired.remove("demo"); // deleted, its event not delivered yet
        assertThat(reconciliation.settled("demo", -1)).as("still listed, FAILED").isFalse();
        services.pass();
        assertThat(reconciliation.states()).isEmpty();
        assertThat(reconciliation.settled("demo", -1)).isTrue();
    }

    @Test
    void bundlesLeftByAnEarlierDeployerAreAdoptedAndAnUnfinishedSwapIsCleanedUp() {
        Bundle running = framework.bundle(new BundleLocation("demo", 7, 0, "repo/demo-1.0.0.jar"));
        Bundle stale = framework.bundle(new BundleLocation("demo", 6, 0, "repo/demo-0.9.0.jar"));
        Bundle other = org.mockito.Mockito.mock(Bundle.class);
        org.mockito.Mockito.when(other.getLocation()).thenReturn("file:/opt/msf/bundle/4/msf-net.jar");
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "drainTimeoutMillis", "7000"));
        reconciliation.adopt(new Bundle[] {other, stale, running}, services.desired);
        // a deployer stopped during the old version's drain left it answering what it had: drained, then removed
        assertThat(framework.calls).containsExactly("hold [" + stale + "]", "drain [" + stale + "]",
                "remove [" + stale + "]", "params kept only for installed [" + running + "]");
        assertThat(framework.drainLimits).containsExactly(Duration.ofMillis(7000));
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).as("what runs is what is configured").isEmpty();
        assertThat(services.state("demo").bundleIds()).containsExactly(running.getBundleId());

        services.configure(spec("demo", "repo/demo-2.0.0.jar", "drainTimeoutMillis", "7000"));
        services.pass();
        assertThat(services.state("demo").version()).isEqualTo("2.0.0");
        assertThat(Optional.ofNullable(framework.calls.get(0))).contains("bringUp [repo/demo-2.0.0.jar]");
    }

    /**
     * A version that failed while its activator's start still ran stays installed, held, until the
     * start returns. A deployer restarted meanwhile took it, the newest generation, as the running
     * version and removed the one serving, without a drain: the service had no route.
     */
    @Test
    void aNewerVersionWhoseStartHasNotReturnedIsNeitherAdoptedNorRemoved() {
        Bundle running = framework.bundle(new BundleLocation("demo", 7, 0, "repo/demo-1.0.0.jar"));
        Bundle stuck = framework.bundle(new BundleLocation("demo", 8, 0, "repo/demo-2.0.0.jar"));
        Bundle started = framework.bundle(new BundleLocation("demo", 8, 1, "repo/demo-extra-2.0.0.jar"));
        framework.starting.add(stuck);
        services.configure(spec("demo", "repo/demo-2.0.0.jar"));
        reconciliation.adopt(new Bundle[] {running, stuck, started}, services.desired);
        assertThat(framework.calls).as("the serving version kept, the stuck one left to its start")
                .contains("remove []");
        assertThat(services.state("demo").bundleIds()).containsExactly(running.getBundleId());
        assertThat(framework.calls).anyMatch(call -> call.startsWith("params kept only for installed")
                && call.contains(stuck.toString()) && call.contains(running.toString()));
    }

    /** Likewise a version whose stop has not returned: an old one let go, or one being removed. */
    @Test
    void aNewerVersionWhoseStopHasNotReturnedIsNotAdopted() {
        Bundle running = framework.bundle(new BundleLocation("demo", 7, 0, "repo/demo-1.0.0.jar"));
        Bundle stopping = framework.bundle(new BundleLocation("demo", 8, 0, "repo/demo-2.0.0.jar"));
        framework.stopping.add(stopping);
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        reconciliation.adopt(new Bundle[] {stopping, running}, services.desired);
        assertThat(framework.calls).contains("remove []");
        assertThat(services.state("demo").bundleIds()).containsExactly(running.getBundleId());
    }

    /**
     * A service's only generation mid-start (a refresh restarting it, an operator's start) is its
     * running version: left out, it ran beside the copy the first pass installed, with no deployer.
     */
    @Test
    void aServicesOnlyVersionWhoseStartHasNotReturnedIsAdopted() {
        Bundle starting = framework.bundle(new BundleLocation("demo", 7, 0, "repo/demo-1.0.0.jar"));
        framework.starting.add(starting);
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        reconciliation.adopt(new Bundle[] {starting}, services.desired);
        assertThat(services.state("demo").bundleIds()).containsExactly(starting.getBundleId());
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).noneMatch(call -> call.startsWith("bringUp"));
    }

    /** A bundle waiting for its lazy activation is STARTING too, but runs: it is adopted as before. */
    @Test
    void aNewestVersionAwaitingLazyActivationIsAdopted() {
        Bundle old = framework.bundle(new BundleLocation("demo", 7, 0, "repo/demo-1.0.0.jar"));
        Bundle lazy = framework.bundle(new BundleLocation("demo", 8, 0, "repo/demo-2.0.0.jar"));
        framework.awaitingLazyActivation.add(lazy);
        services.configure(spec("demo", "repo/demo-2.0.0.jar"));
        reconciliation.adopt(new Bundle[] {old, lazy}, services.desired);
        assertThat(framework.calls).contains("remove [" + old + "]");
        assertThat(services.state("demo").bundleIds()).containsExactly(lazy.getBundleId());
    }

    @Test
    void anAdoptedVersionOtherThanTheConfiguredOneIsSwappedEvenWhenTheLocationIsTheSame() {
        // mvn: location without a version, the version key says which: msf:update demo 2.0.0 changes only
        // the key; the deployer restarted before the swap to 2.0.0 was done, so 1.0.0 still runs
        Bundle running = framework.bundle(new BundleLocation("demo", 7, 0, "mvn:io.msf/demo"));
        org.mockito.Mockito.when(running.getVersion()).thenReturn(org.osgi.framework.Version.parseVersion("1.0.0"));
        services.configure(spec("demo", "mvn:io.msf/demo", "version", "2.0.0"));
        reconciliation.adopt(new Bundle[] {running}, services.desired);
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).as("1.0.0 runs, 2.0.0 is configured").startsWith("bringUp [mvn:io.msf/demo]");
        assertThat(framework.installed).hasSize(1).doesNotContain(running);
        assertThat(reconciliation.previous("demo")).as("a rollback says which version the location stands for")
                .map(ServiceSpec::version).contains("1.0.0");

        Bundle same = framework.bundle(new BundleLocation("demo", 9, 0, "mvn:io.msf/demo"));
        org.mockito.Mockito.when(same.getVersion()).thenReturn(org.osgi.framework.Version.parseVersion("2.0.0"));
        Reconciliation restarted = newDeployer();
        restarted.adopt(new Bundle[] {same}, services.desired);
        framework.calls.clear();
        restarted.run(() -> services.desired);
        assertThat(framework.calls).as("the configured version runs: nothing to do").isEmpty();
    }
    /**
     * A SNAPSHOT bundle's own version is not its Maven one (1.0.0-SNAPSHOT is 1.0.0.SNAPSHOT): a
     * rollback to the adopted version needs the key it was installed by, which the deployer before
     * kept with its last good state, or it looks for .../1.0.0.SNAPSHOT/demo-1.0.0.SNAPSHOT.jar.
     */
    @Test
    void anAdoptedSnapshotIsRolledBackToByTheMavenVersionItWasInstalledBy() {
        services.configure(spec("demo", "mvn:io.msf/demo", "version", "1.0.0-SNAPSHOT"));
        services.pass();
        org.mockito.Mockito.when(onlyInstalled().getVersion())
                .thenReturn(org.osgi.framework.Version.parseVersion("1.0.0.SNAPSHOT"));
        // while the deployer restarted
        services.configure(spec("demo", "mvn:io.msf/demo", "version", "1.0.1-SNAPSHOT"));

        Reconciliation restarted = restarted();
        restarted.run(() -> services.desired);
        assertThat(restarted.previous("demo")).map(ServiceSpec::version).contains("1.0.0-SNAPSHOT");
    }

    /** A deployer started again (bundle updated or restarted, or the container on a kept cache) over what runs. */
    private Reconciliation restarted() {
        Reconciliation restarted = newDeployer();
        restarted.adopt(framework.installed.toArray(Bundle[]::new), services.desired);
        return restarted;
    }

    @Test
    void parametersAndStartLevelChangedWhileNoDeployerRanAreAppliedLiveToTheAdoptedVersion() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "1"));
        services.pass();
        Bundle running = onlyInstalled();
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "2", "startLevel", "6"));

        Reconciliation restarted = restarted();
        framework.calls.clear();
        restarted.run(() -> services.desired);
        assertThat(framework.calls).as("no bundle installed or removed, only a live change").containsExactly(
                "params {interval=2} for [" + running + "]", "params kept only for [" + running + "]", "startLevel 6");
        assertThat(framework.params).isEqualTo(Map.of(running, Map.of("interval", "2")));
        assertThat(framework.startLevels).containsEntry(running, 6);

        framework.calls.clear();
        restarted.run(() -> services.desired);
        assertThat(framework.calls).as("applied once").isEmpty();
    }

    @Test
    void anAdoptedVersionThatRunsAsConfiguredIsLeftAlone() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "1", "startLevel", "4"));
        services.pass();
        Reconciliation restarted = restarted();
        framework.calls.clear();
        restarted.run(() -> services.desired);
        assertThat(framework.calls).isEmpty();
        assertThat(restarted.states()).extracting(ServiceState::phase).containsExactly(Phase.ACTIVE);
    }

    @Test
    void aVersionAdoptedUnlikeItsConfigurationIsTheRollbackTargetWithTheParametersItRanWith() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "1"));
        services.pass();
        services.configure(spec("demo", "repo/demo-2.0.0.jar", "param.interval", "2"));

        Reconciliation restarted = restarted();
        restarted.run(() -> services.desired);
        assertThat(restarted.previous("demo")).map(ServiceSpec::locations).contains(List.of("repo/demo-1.0.0.jar"));
        assertThat(restarted.previous("demo")).map(ServiceSpec::params).contains(Map.of("interval", "1"));
    }
    @Test
    void aParameterChangeThatCannotBeWrittenFailsTheServiceOnceAndTheRunningVersionKeepsItsParameters() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "1"));
        services.pass();
        Bundle running = onlyInstalled();
        framework.refusingParams = "key 'pid': msf.service.demo is configured already, by"
                + " file:/etc/msf.service.demo.cfg; give the parameters in one place only";
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "2"));
        services.pass();
        ServiceState state = services.state("demo");
        assertThat(state.phase()).isEqualTo(Phase.FAILED);
        assertThat(state.problem()).isEqualTo("parameters not applied: key 'pid': msf.service.demo is configured"
                + " already, by file:/etc/msf.service.demo.cfg; give the parameters in one place only;"
                + " version 1.0.0 keeps serving with the parameters it had");
        assertThat(state.bundleIds()).containsExactly(running.getBundleId());
        assertThat(reconciliation.settled("demo", services.desired.get("demo").changeCount()))
                .as("the change is carried out: a command waiting for it gets the failure").isTrue();
        assertThat(eventAdmin.topics()).containsExactly(Deployer.TOPIC_INSTALLED, Deployer.TOPIC_FAILED);

        framework.calls.clear();
        services.pass();
        services.configure(spec("other", "repo/other-1.0.0.jar"));
        services.pass();
        assertThat(framework.calls).as("not written again at every pass")
                .noneMatch(call -> call.contains(running.toString()));
        assertThat(eventAdmin.topics()).as("posted (and logged) once").containsOnlyOnce(Deployer.TOPIC_FAILED);
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(framework.params).containsEntry(running, Map.of("interval", "1"));

        framework.refusingParams = null;
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "3"));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").problem()).isEmpty();
        assertThat(framework.params).containsEntry(running, Map.of("interval", "3"));
    }

    @Test
    void aLiveChangeTheComponentsDoNotTakeIsUndoneFailsTheServiceOnceAndIsNotTriedAgain() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.limit", "10"));
        services.pass();
        Bundle running = onlyInstalled();
        framework.notTaken.put(Map.of("limit", "500"), "demo 1.0.0 [101]: component bounded: its modified method"
                + " threw java.lang.IllegalArgumentException: limit 500 is outside 1..100");
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.limit", "500", "startLevel", "7"));
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).as("written, then the parameters it had written back").containsExactly(
                "params {limit=500} for [" + running + "]", "params {limit=10} for [" + running + "]");
        assertThat(framework.params).containsEntry(running, Map.of("limit", "10"));
        assertThat(framework.startLevels).as("no other part of the change either")
                .containsEntry(running, ServiceSpecs.DEFAULT_START_LEVEL);
        ServiceState state = services.state("demo");
        assertThat(state.phase()).isEqualTo(Phase.FAILED);
        assertThat(state.bundleIds()).containsExactly(running.getBundleId());
        assertThat(state.problem()).isEqualTo("parameters not taken: demo 1.0.0 [101]: component bounded: its"
                + " modified method threw java.lang.IllegalArgumentException: limit 500 is outside 1..100;"
                + " version 1.0.0 keeps serving with the parameters it had");
        assertThat(reconciliation.settled("demo", services.desired.get("demo").changeCount())).isTrue();
        assertThat(events.get(events.size() - 1).getProperty("problem")).isEqualTo(state.problem());

        framework.calls.clear();
        services.pass();
        services.configure(spec("other", "repo/other-1.0.0.jar"));
        services.pass();
        assertThat(framework.calls).as("not tried again at every pass")
                .noneMatch(call -> call.contains(running.toString()));
        assertThat(eventAdmin.topics()).as("posted (and logged) once").containsOnlyOnce(Deployer.TOPIC_FAILED);
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);

        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.limit", "20"));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").problem()).isEmpty();
        assertThat(framework.params).containsEntry(running, Map.of("limit", "20"));
    }

    @Test
    void aVersionThatDoesNotTakeTheParametersItHadBackEitherIsShownSo() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.limit", "10"));
        services.pass();
        framework.notTaken.put(Map.of("limit", "0"), "demo 1.0.0 [101]: component bounded failed to activate:"
                + " java.lang.IllegalArgumentException: limit 0 is outside 1..100");
        framework.notTaken.put(Map.of("limit", "10"), "not ready within healthTimeoutMillis=10000: demo 1.0.0 [101]:"
                + " component bounded has not been activated again since it failed to activate:"
                + " java.lang.IllegalArgumentException: limit 0 is outside 1..100");
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.limit", "0"));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem()).isEqualTo("parameters not taken: demo 1.0.0 [101]: component"
                + " bounded failed to activate: java.lang.IllegalArgumentException: limit 0 is outside 1..100; the"
                + " parameters it had were given back to version 1.0.0 and it still fails: not ready within"
                + " healthTimeoutMillis=10000: demo 1.0.0 [101]: component bounded has not been activated again since"
                + " it failed to activate: java.lang.IllegalArgumentException: limit 0 is outside 1..100");
        assertThat(eventAdmin.topics()).containsOnlyOnce(Deployer.TOPIC_FAILED);
    }

    @Test
    void aConfigurationWhoseParametersAreRefusedChangesNoStartLevelEither() {
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "1"));
        services.pass();
        Bundle running = onlyInstalled();
        framework.refusingParams = "key 'pid': msf.service.demo is configured already";
        services.configure(spec("demo", "repo/demo-1.0.0.jar", "param.interval", "2", "startLevel", "7"));
        services.pass();
        services.pass();

        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(framework.startLevels).as("no part of a failed configuration reaches the running version")
                .containsEntry(running, ServiceSpecs.DEFAULT_START_LEVEL);
        assertThat(framework.params).containsEntry(running, Map.of("interval", "1"));
    }
}
