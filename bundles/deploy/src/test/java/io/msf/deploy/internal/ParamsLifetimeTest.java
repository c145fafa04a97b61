package io.msf.deploy.internal;

import static io.msf.deploy.internal.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.service.log.Logger;

/**
 * How long the configurations written for a service's bundles stay in Config Admin: as long as an
 * installed version of the service reads them. The framework faked, the deployer's own
 * {@link ParamConfigs} over a Config Admin in a map.
 */
class ParamsLifetimeTest {

    private final FakeFramework framework = new FakeFramework();
    private final FakeConfigAdmin configAdmin = new FakeConfigAdmin();
    @TempDir
    Path records;
    private final Map<String, Desired> desired = new TreeMap<>();

    private final Logger log = mock(Logger.class);

    /** The keys each PID types PASSWORD, as the config gate would tell them. */
    private final Map<String, Set<String>> passwords = new TreeMap<>();

    /** A deployer, as one starts, over the framework and Config Admin as they are. */
    private Reconciliation newDeployer() {
        return new Reconciliation(framework, new ParamConfigs(configAdmin.admin), JarStamps.NONE,
                new ServiceRecords(records, mock(Logger.class)), new DeployEvents(() -> null),
                pid -> passwords.getOrDefault(pid, Set.of()), log, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }

    private void configure(ServiceSpec spec) {
        desired.put(spec.name(), new Desired(spec, "", desired.size() + 1, "etc/msf.service~" + spec.name() + ".cfg"));
    }

    private static ServiceState state(Reconciliation deployer, String name) {
        return deployer.states().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static String targeted(String pid, Bundle bundle) {
        return ParamConfigs.targeted(pid, bundle);
    }

    @Test
    void theLineOfALiveChangeNamesOnlyTheKeysThatChangedWithTheirValuesBeforeAndAfter() {
        Reconciliation deployer = newDeployer();
        configure(spec("demo", "repo/demo-1.0.0.jar", "pid", "msf.demo", "param.interval", "1", "param.label", "a",
                "param.gone", "x"));
        deployer.run(() -> desired);

        configure(spec("demo", "repo/demo-1.0.0.jar", "pid", "msf.demo", "param.interval", "2", "param.label", "a",
                "param.added", "y"));
        deployer.run(() -> desired);
        verify(log).info("{}: parameters changed in {}: {}", "demo", "msf.demo",
                "added: (none) -> y, gone: x -> (none), interval: 1 -> 2");

        configure(spec("demo", "repo/demo-1.0.0.jar", "pid", "msf.new", "param.interval", "2", "param.label", "a",
                "param.added", "y"));
        deployer.run(() -> desired);
        verify(log).info("{}: parameters changed in {}: {}", "demo", "msf.new", "moved from msf.demo");
    }

    /**
     * Before, only a key named like a secret was hidden: a key the service's Metatype types PASSWORD under
     * another name ({@code pin}) had its old and new values written into the log.
     */
    @Test
    void theLineOfALiveChangeHidesTheValuesOfAPasswordOfThePid() {
        passwords.put("msf.demo", Set.of("pin"));
        Reconciliation deployer = newDeployer();
        configure(spec("demo", "repo/demo-1.0.0.jar", "pid", "msf.demo", "param.pin", "1234", "param.label", "a"));
        deployer.run(() -> desired);

        configure(spec("demo", "repo/demo-1.0.0.jar", "pid", "msf.demo", "param.pin", "5678", "param.label", "b"));
        deployer.run(() -> desired);
        verify(log).info("{}: parameters changed in {}: {}", "demo", "msf.demo",
                "label: a -> b, pin: (hidden) -> (hidden)");
    }

    @Test
    void aChangedPidAppliedLiveLeavesNoConfigurationUnderTheOldOne() {
        Reconciliation deployer = newDeployer();
        configure(spec("demo", "repo/demo-1.0.0.jar", "pid", "msf.old", "param.interval", "1"));
        deployer.run(() -> desired);
        Bundle running = framework.installed.iterator().next();
        assertThat(configAdmin.store).containsOnlyKeys(targeted("msf.old", running));

        configure(spec("demo", "repo/demo-1.0.0.jar", "pid", "msf.new", "param.interval", "1"));
        deployer.run(() -> desired);
        assertThat(state(deployer, "demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(configAdmin.store).as("no component of it reads msf.old any more")
                .containsOnlyKeys(targeted("msf.new", running));
        assertThat(configAdmin.paramsOf(targeted("msf.new", running))).isEqualTo(Map.of("interval", "1"));
    }

    @Test
    void whatADeployerBeforeThisOneLeftForBundlesAndServicesThatAreGoneIsDeletedAtStart() throws Exception {
        Bundle running = framework.bundle(new BundleLocation("demo", 7, 0, "repo/demo-1.0.0.jar"));
        framework.installed.add(running);
        String own = targeted("msf.demo", running);
        configAdmin.put(own, Map.of("interval", "1", ParamConfigs.OWNER, "demo"));
        // a version whose swap away was cut short after it was uninstalled, a service undeployed while
        // the container was down, with a configuration an older deployer wrote under the plain PID
        String removed = "msf.demo|demo|0.9.0|msf.service:demo#6/0:repo/demo-0.9.0.jar";
        String undeployed = "msf.gone|gone|1.0.0|msf.service:gone#3/0:repo/gone-1.0.0.jar";
        configAdmin.put(removed, Map.of("interval", "0", ParamConfigs.OWNER, "demo"));
        configAdmin.put(undeployed, Map.of("interval", "0", ParamConfigs.OWNER, "gone"));
        configAdmin.put("msf.gone", Map.of("interval", "0", ParamConfigs.OWNER, "gone"));
        configAdmin.put("msf.operator", Map.of("interval", "0")); // not the deployer's
        configure(spec("demo", "repo/demo-1.0.0.jar", "pid", "msf.demo", "param.interval", "1"));

        Reconciliation deployer = newDeployer();
        deployer.adopt(new Bundle[] {running}, desired);
        deployer.run(() -> desired);
        deployer.forgetUnnamed(Set.of("demo"), "nothing names it");
        assertThat(configAdmin.store).containsOnlyKeys(own, "msf.operator");
        assertThat(state(deployer, "demo").bundleIds()).containsExactly(running.getBundleId());
    }

    @Test
    void aConfigurationLeftForALocationThatIsInstalledAgainIsNotReadByTheNewBundle() throws Exception {
        // the framework's cache was cleaned while the container was down: generations count from 1 again
        String left = "msf.old|demo|1.0.0|msf.service:demo#1/0:repo/demo-1.0.0.jar";
        configAdmin.put(left, Map.of("interval", "9", ParamConfigs.OWNER, "demo"));
        configure(spec("demo", "repo/demo-1.0.0.jar", "pid", "msf.new", "param.interval", "1"));

        Reconciliation deployer = newDeployer();
        deployer.adopt(new Bundle[0], desired);
        deployer.run(() -> desired);
        Bundle installed = framework.installed.iterator().next();
        assertThat(installed.getLocation()).isEqualTo("msf.service:demo#1/0:repo/demo-1.0.0.jar");
        assertThat(configAdmin.store).containsOnlyKeys(targeted("msf.new", installed));
    }

    @Test
    void aWriteCutShortAcrossTheBundlesOfAVersionIsUndoneAndSaidSo() {
        Reconciliation deployer = newDeployer();
        configure(spec("demo", "repo/demo-1.0.0.jar,repo/demo-api-1.0.0.jar", "param.interval", "1"));
        deployer.run(() -> desired);
        List<Bundle> running = state(deployer, "demo").bundleIds().stream()
                .map(id -> framework.installed.stream().filter(b -> b.getBundleId() == id).findFirst().orElseThrow())
                .toList();
        configAdmin.refusing = pid -> pid.endsWith("repo/demo-api-1.0.0.jar");

        configure(spec("demo", "repo/demo-1.0.0.jar,repo/demo-api-1.0.0.jar", "param.interval", "2"));
        deployer.run(() -> desired);
        ServiceState state = state(deployer, "demo");
        assertThat(state.phase()).isEqualTo(Phase.FAILED);
        assertThat(state.problem()).isEqualTo("parameters not applied: cannot persist "
                + targeted("msf.service.demo", running.get(1)) + "; written for [" + running.get(0) + "] before that;"
                + " version 1.0.0 keeps serving with the parameters it had");
        assertThat(configAdmin.paramsOf(targeted("msf.service.demo", running.get(0))))
                .as("given back: what the report says").isEqualTo(Map.of("interval", "1"));
        assertThat(configAdmin.paramsOf(targeted("msf.service.demo", running.get(1)))).isEqualTo(Map.of("interval", "1"));
    }
}
