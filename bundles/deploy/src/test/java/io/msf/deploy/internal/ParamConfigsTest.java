package io.msf.deploy.internal;

import static io.msf.deploy.internal.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;

/** Where a service's parameters go, over a Config Admin that keeps configurations in a map. */
class ParamConfigsTest {

    private final FakeConfigAdmin configAdmin = new FakeConfigAdmin();
    private final Map<String, Configuration> store = configAdmin.store;
    private final Map<String, String> boundTo = configAdmin.boundTo;
    private final ParamConfigs params = new ParamConfigs(configAdmin.admin);

    private final Bundle v1 = bundle("io.demo", "1.0.0", new BundleLocation("demo", 1, 0, "demo-1.0.0.jar"));
    private final Bundle v2 = bundle("io.demo", "2.0.0", new BundleLocation("demo", 2, 0, "demo-2.0.0.jar"));
    private final String v1Pid = "msf.demo|io.demo|1.0.0|msf.service:demo#1/0:demo-1.0.0.jar";
    private final String v2Pid = "msf.demo|io.demo|2.0.0|msf.service:demo#2/0:demo-2.0.0.jar";

    private Configuration configuration(String pid, String factoryPid) {
        return configAdmin.configuration(pid, factoryPid);
    }

    private static Bundle bundle(String symbolicName, String version, BundleLocation location) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.getVersion()).thenReturn(Version.parseVersion(version));
        when(bundle.getLocation()).thenReturn(location.toString());
        return bundle;
    }

    private Map<String, Object> paramsOf(String pid) {
        return configAdmin.paramsOf(pid);
    }

    @Test
    void eachVersionGetsAConfigurationOfItsOwnUnderAPidTargetedAtItsBundle() throws Exception {
        assertThat(ParamConfigs.targeted("msf.demo", v1)).isEqualTo(v1Pid);
        assertThat(params.apply(spec("demo", "demo-1.0.0.jar", "pid", "msf.demo", "param.interval", "10"), List.of(v1)))
                .isTrue();
        assertThat(store).containsOnlyKeys(v1Pid);
        assertThat(boundTo).containsEntry(v1Pid, "?");
        assertThat(store.get(v1Pid).getProperties().get(ParamConfigs.OWNER)).isEqualTo("demo");
        assertThat(params.apply(spec("demo", "demo-1.0.0.jar", "pid", "msf.demo", "param.interval", "10"), List.of(v1)))
                .as("unchanged").isFalse();

        params.apply(spec("demo", "demo-2.0.0.jar", "pid", "msf.demo", "param.interval", "20"), List.of(v2));
        assertThat(paramsOf(v2Pid)).isEqualTo(Map.of("interval", "20"));
        assertThat(paramsOf(v1Pid)).as("the running version's own").isEqualTo(Map.of("interval", "10"));
    }

    @Test
    void aFactoryPidIsTargetedBeforeTheConfigurationsName() throws Exception {
        params.apply(spec("demo", "demo-1.0.0.jar", "pid", "msf.demo~main", "param.interval", "10"), List.of(v1));
        String factoryPid = "msf.demo|io.demo|1.0.0|msf.service:demo#1/0:demo-1.0.0.jar";
        assertThat(store).containsOnlyKeys(factoryPid + "~main");
        assertThat(store.get(factoryPid + "~main").getFactoryPid()).isEqualTo(factoryPid);
        assertThat(ParamConfigs.targeted("msf.demo~main", v1)).isEqualTo(factoryPid + "~main");
        params.keepOnly("demo", List.of(v1));
        assertThat(store).as("recognised as v1's").containsOnlyKeys(factoryPid + "~main");
    }

    @Test
    void removingEveryParameterDeletesTheBundlesConfiguration() throws Exception {
        params.apply(spec("demo", "demo-1.0.0.jar", "pid", "msf.demo", "param.interval", "10"), List.of(v1));
        assertThat(params.apply(spec("demo", "demo-1.0.0.jar", "pid", "msf.demo"), List.of(v1))).isTrue();
        assertThat(store).isEmpty();
        assertThat(params.apply(spec("demo", "demo-1.0.0.jar", "pid", "msf.demo"), List.of(v1))).isFalse();
    }

    @Test
    void aVersionThatIsGoneTakesItsParametersWithItAndOnlyThose() throws Exception {
        params.apply(spec("demo", "demo-1.0.0.jar", "pid", "msf.demo", "param.interval", "10"), List.of(v1));
        params.apply(spec("demo", "demo-2.0.0.jar", "pid", "msf.demo", "param.interval", "20"), List.of(v2));
        params.discard(List.of(v2));
        assertThat(store).containsOnlyKeys(v1Pid);
    }

    @Test
    void keepOnlyDeletesTheServicesOtherConfigurationsAndTheOneAnEarlierDeployerWroteUnderThePlainPid()
            throws Exception {
        configuration("msf.demo", null).update(new Hashtable<>(Map.of("interval", "5", ParamConfigs.OWNER, "demo")));
        configuration("msf.other", null).update(new Hashtable<>(Map.of("x", "1", ParamConfigs.OWNER, "other")));
        configuration("msf.file", null).update(new Hashtable<>(Map.of("x", "1")));
        params.apply(spec("demo", "demo-1.0.0.jar", "pid", "msf.demo", "param.interval", "10"), List.of(v1));
        params.apply(spec("demo", "demo-2.0.0.jar", "pid", "msf.demo", "param.interval", "20"), List.of(v2));

        params.keepOnly("demo", List.of(v2));
        assertThat(store).containsOnlyKeys(v2Pid, "msf.other", "msf.file");
        params.keepOnly("demo", List.of());
        assertThat(store).containsOnlyKeys("msf.other", "msf.file");
    }

    @Test
    void aPidConfiguredElsewhereIsLeftAloneOrRefused() throws Exception {
        configuration("msf.demo", null).update(new Hashtable<>(Map.of("interval", "5",
                "felix.fileinstall.filename", "file:/etc/msf.demo.cfg")));
        assertThat(params.apply(spec("demo", "a.jar", "pid", "msf.demo"), List.of(v1))).isFalse();
        assertThatThrownBy(() -> params.apply(spec("demo", "a.jar", "pid", "msf.demo", "param.interval", "10"),
                List.of(v1))).hasMessage("key 'pid': msf.demo is configured already, by /etc/msf.demo.cfg; give"
                        + " the parameters in one place only");
        params.keepOnly("demo", List.of());
        assertThat(store).containsOnlyKeys("msf.demo");
    }

    @Test
    void aChangedPidTakesTheBundlesConfigurationUnderTheOldPidAwayAndNothingElse() throws Exception {
        String operators = "msf.extra|io.demo|1.0.0|msf.service:demo#1/0:demo-1.0.0.jar";
        configAdmin.put(operators, Map.of("x", "1")); // targeted at v1 too, but not written by the deployer
        params.apply(spec("demo", "demo-1.0.0.jar", "pid", "msf.demo", "param.interval", "10"), List.of(v1));
        params.apply(spec("demo", "demo-2.0.0.jar", "pid", "msf.demo", "param.interval", "20"), List.of(v2));

        assertThat(params.apply(spec("demo", "demo-1.0.0.jar", "pid", "msf.renamed~main", "param.interval", "10"),
                List.of(v1))).isTrue();
        String renamed = "msf.renamed|io.demo|1.0.0|msf.service:demo#1/0:demo-1.0.0.jar~main";
        assertThat(store).as("another version's own is not this bundle's").containsOnlyKeys(renamed, v2Pid, operators);

        assertThat(params.apply(spec("demo", "demo-1.0.0.jar", "pid", "msf.bare"), List.of(v1)))
                .as("a PID without parameters: the bundle reads none of the service's").isTrue();
        assertThat(store).containsOnlyKeys(v2Pid, operators);
    }

    @Test
    void aWriteThatFailsAfterABundleWasChangedSaysWhichWere() throws Exception {
        Bundle second = bundle("io.demo.api", "1.0.0", new BundleLocation("demo", 1, 1, "demo-api-1.0.0.jar"));
        ServiceSpec spec = spec("demo", "demo-1.0.0.jar,demo-api-1.0.0.jar", "pid", "msf.demo", "param.interval", "10");
        configAdmin.refusing = pid -> pid.endsWith("demo-api-1.0.0.jar");

        assertThatThrownBy(() -> params.apply(spec, List.of(v1, second)))
                .isInstanceOfSatisfying(VersionControl.PartlyWritten.class,
                        e -> assertThat(e.written()).containsExactly(v1))
                .hasMessage("cannot persist msf.demo|io.demo.api|1.0.0|msf.service:demo#1/1:demo-api-1.0.0.jar");
        assertThatThrownBy(() -> params.apply(spec, List.of(second))).as("nothing changed before it")
                .isNotInstanceOf(VersionControl.PartlyWritten.class).hasMessageStartingWith("cannot persist");
    }

    @Test
    void whatIsLeftForBundlesNotInstalledOrServicesNotNamedGoesAndOnlyWhatTheDeployerWrote() throws Exception {
        configAdmin.put("msf.demo", Map.of("interval", "5", ParamConfigs.OWNER, "demo")); // an earlier deployer's
        configAdmin.put("msf.gone", Map.of("interval", "5", ParamConfigs.OWNER, "gone"));
        configAdmin.put("msf.file", Map.of("x", "1"));
        configAdmin.put("msf.file|io.demo|2.0.0|msf.service:demo#2/0:demo-2.0.0.jar", Map.of("x", "1"));
        params.apply(spec("demo", "demo-1.0.0.jar", "pid", "msf.demo", "param.interval", "10"), List.of(v1));
        params.apply(spec("demo", "demo-2.0.0.jar", "pid", "msf.demo~main", "param.interval", "20"), List.of(v2));

        params.keepOnlyInstalled(List.of(v1));
        assertThat(store).as("the plain PIDs are not targeted at a bundle").containsOnlyKeys(v1Pid, "msf.demo",
                "msf.gone", "msf.file", "msf.file|io.demo|2.0.0|msf.service:demo#2/0:demo-2.0.0.jar");
        params.keepOnlyServices(Set.of("demo"));
        assertThat(store).containsOnlyKeys(v1Pid, "msf.demo", "msf.file",
                "msf.file|io.demo|2.0.0|msf.service:demo#2/0:demo-2.0.0.jar");
    }

    @Test
    void whatABundleIsGivenIsReadBackUnderThePidOrUnderTheOneItStillHas() throws Exception {
        assertThat(params.given("demo", "msf.demo", v1)).isEmpty();
        params.apply(spec("demo", "demo-1.0.0.jar", "pid", "msf.demo", "param.interval", "10"), List.of(v1));
        params.apply(spec("demo", "demo-2.0.0.jar", "pid", "msf.demo~main", "param.interval", "20"), List.of(v2));

        assertThat(params.given("demo", "msf.demo", v1))
                .contains(new VersionControl.Given("msf.demo", Map.of("interval", "10")));
        assertThat(params.given("demo", "msf.other", v1)).as("the pid key changed since it was written")
                .contains(new VersionControl.Given("msf.demo", Map.of("interval", "10")));
        assertThat(params.given("demo", "msf.demo", v2)).as("a factory PID")
                .contains(new VersionControl.Given("msf.demo~main", Map.of("interval", "20")));
        assertThat(params.given("other", "msf.other", v1)).as("another service's").isEmpty();
    }
}
