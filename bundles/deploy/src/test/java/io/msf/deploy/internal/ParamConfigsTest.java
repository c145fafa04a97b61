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
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Where a service's parameters go, over a Config Admin that keeps configurations in a map. */
class ParamConfigsTest {

    private final Map<String, Configuration> store = new HashMap<>();
    private final Map<String, String> locations = new HashMap<>();
    private final ConfigurationAdmin configAdmin = mock(ConfigurationAdmin.class);
    private final ParamConfigs params = new ParamConfigs(configAdmin);

    @BeforeEach
    void configAdmin() throws Exception {
        when(configAdmin.listConfigurations(anyString())).thenAnswer(call -> {
            String pid = call.<String>getArgument(0).replaceAll("^\\(service\\.pid=|\\)$", "");
            Configuration found = store.get(pid);
            return found == null || found.getProperties() == null ? null : new Configuration[] {found};
        });
        when(configAdmin.getConfiguration(anyString(), anyString())).thenAnswer(call -> {
            locations.put(call.getArgument(0), call.getArgument(1));
            return store.computeIfAbsent(call.getArgument(0), this::configuration);
        });
    }

    private Configuration configuration(String pid) {
        Configuration configuration = mock(Configuration.class);
        AtomicReference<Dictionary<String, Object>> properties = new AtomicReference<>();
        when(configuration.getPid()).thenReturn(pid);
        when(configuration.getProperties()).thenAnswer(call -> properties.get());
        try {
            doAnswer(call -> {
                properties.set(call.getArgument(0));
                return null;
            }).when(configuration).update(any());
            doAnswer(call -> store.remove(pid)).when(configuration).delete();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return configuration;
    }

    @Test
    void parametersGoToTheirPidUnboundSoTheNextVersionSeesThem() throws Exception {
        assertThat(params.apply(spec("demo", "a.jar", "pid", "msf.demo", "param.interval", "10"))).isTrue();
        assertThat(locations).containsEntry("msf.demo", "?");
        assertThat(ParamConfigs.params(store.get("msf.demo").getProperties())).isEqualTo(Map.of("interval", "10"));
        assertThat(params.apply(spec("demo", "a.jar", "pid", "msf.demo", "param.interval", "10"))).isFalse();
        assertThat(params.apply(spec("demo", "a.jar", "pid", "msf.demo"))).as("all removed").isTrue();
        assertThat(store).doesNotContainKey("msf.demo");
    }

    @Test
    void aPidConfiguredElsewhereIsLeftAloneOrRefused() throws Exception {
        Configuration file = store.computeIfAbsent("msf.demo", this::configuration);
        file.update(new Hashtable<>(Map.of("interval", "5", "felix.fileinstall.filename", "file:/etc/msf.demo.cfg")));
        assertThat(params.apply(spec("demo", "a.jar", "pid", "msf.demo"))).isFalse();
        assertThatThrownBy(() -> params.apply(spec("demo", "a.jar", "pid", "msf.demo", "param.interval", "10")))
                .hasMessage("key 'pid': msf.demo is configured already, by file:/etc/msf.demo.cfg; give the parameters"
                        + " in one place only");
        params.remove(spec("demo", "a.jar", "pid", "msf.demo"));
        assertThat(store).containsKey("msf.demo");
    }
}
