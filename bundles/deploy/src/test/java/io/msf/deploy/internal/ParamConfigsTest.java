package io.msf.deploy.internal;

import static io.msf.deploy.internal.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Where a service's parameters go, over a Config Admin that keeps configurations in a map. */
class ParamConfigsTest {

    /** By PID: the configurations that have properties (Config Admin lists no others). */
    private final Map<String, Configuration> store = new TreeMap<>();
    private final Map<String, String> boundTo = new HashMap<>();
    private final ConfigurationAdmin configAdmin = mock(ConfigurationAdmin.class);
    private final ParamConfigs params = new ParamConfigs(configAdmin);

    private final Bundle v1 = bundle("io.demo", "1.0.0", new BundleLocation("demo", 1, 0, "demo-1.0.0.jar"));
    private final Bundle v2 = bundle("io.demo", "2.0.0", new BundleLocation("demo", 2, 0, "demo-2.0.0.jar"));
    private final String v1Pid = "msf.demo|io.demo|1.0.0|msf.service:demo#1/0:demo-1.0.0.jar";
    private final String v2Pid = "msf.demo|io.demo|2.0.0|msf.service:demo#2/0:demo-2.0.0.jar";

    @BeforeEach
    void configAdmin() throws Exception {
        when(configAdmin.listConfigurations(anyString())).thenAnswer(call -> {
            Filter filter = FrameworkUtil.createFilter(call.getArgument(0));
            Configuration[] found = store.values().stream()
                    .filter(c -> c.getProperties() != null && filter.matches(properties(c))).toArray(Configuration[]::new);
            return found.length == 0 ? null : found;
        });
        when(configAdmin.getConfiguration(anyString(), anyString())).thenAnswer(call -> {
            boundTo.put(call.getArgument(0), call.getArgument(1));
            return configuration(call.getArgument(0), null);
        });
        when(configAdmin.getFactoryConfiguration(anyString(), anyString(), anyString())).thenAnswer(call -> {
            String pid = call.getArgument(0) + "~" + call.getArgument(1);
            boundTo.put(pid, call.getArgument(2));
            return configuration(pid, call.getArgument(0));
        });
    }

    private Configuration configuration(String pid, String factoryPid) {
        Configuration existing = store.get(pid);
        if (existing != null) {
            return existing;
        }
        Configuration configuration = mock(Configuration.class);
        AtomicReference<Dictionary<String, Object>> properties = new AtomicReference<>();
        when(configuration.getPid()).thenReturn(pid);
        when(configuration.getFactoryPid()).thenReturn(factoryPid);
        when(configuration.getProperties()).thenAnswer(call -> properties.get());
        try {
            doAnswer(call -> {
                properties.set(call.getArgument(0));
                store.put(pid, configuration);
                return null;
            }).when(configuration).update(any());
            doAnswer(call -> store.remove(pid)).when(configuration).delete();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return configuration;
    }

    private static Map<String, Object> properties(Configuration configuration) {
        Map<String, Object> all = new HashMap<>();
        Dictionary<String, Object> properties = configuration.getProperties();
        properties.keys().asIterator().forEachRemaining(key -> all.put(key, properties.get(key)));
        all.put("service.pid", configuration.getPid());
        if (configuration.getFactoryPid() != null) {
            all.put("service.factoryPid", configuration.getFactoryPid());
        }
        return all;
    }

    private static Bundle bundle(String symbolicName, String version, BundleLocation location) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.getVersion()).thenReturn(Version.parseVersion(version));
        when(bundle.getLocation()).thenReturn(location.toString());
        return bundle;
    }

    private Map<String, Object> paramsOf(String pid) {
        return ParamConfigs.params(store.get(pid).getProperties());
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
                List.of(v1))).hasMessage("key 'pid': msf.demo is configured already, by file:/etc/msf.demo.cfg; give"
                        + " the parameters in one place only");
        params.keepOnly("demo", List.of());
        assertThat(store).containsOnlyKeys("msf.demo");
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
