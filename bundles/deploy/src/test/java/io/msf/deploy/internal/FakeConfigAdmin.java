package io.msf.deploy.internal;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A Config Admin that keeps configurations in a map, by PID: it lists those that have properties,
 * as Config Admin does. An update of a configuration whose PID {@link #refusing} accepts fails, as
 * one that Config Admin cannot persist.
 */
final class FakeConfigAdmin {

    final Map<String, Configuration> store = new TreeMap<>();
    final Map<String, String> boundTo = new HashMap<>();
    final ConfigurationAdmin admin = mock(ConfigurationAdmin.class);
    Predicate<String> refusing = pid -> false;

    FakeConfigAdmin() {
        try {
            when(admin.listConfigurations(anyString())).thenAnswer(call -> {
                Filter filter = FrameworkUtil.createFilter(call.getArgument(0));
                Configuration[] found = store.values().stream()
                        .filter(c -> c.getProperties() != null && filter.matches(properties(c)))
                        .toArray(Configuration[]::new);
                return found.length == 0 ? null : found;
            });
            when(admin.getConfiguration(anyString(), anyString())).thenAnswer(call -> {
                boundTo.put(call.getArgument(0), call.getArgument(1));
                return configuration(call.getArgument(0), null);
            });
            when(admin.getFactoryConfiguration(anyString(), anyString(), anyString())).thenAnswer(call -> {
                String pid = call.getArgument(0) + "~" + call.getArgument(1);
                boundTo.put(pid, call.getArgument(2));
                return configuration(pid, call.getArgument(0));
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The configuration of that PID, made (without properties, so not listed yet) if there is none. */
    Configuration configuration(String pid, String factoryPid) {
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
                if (refusing.test(pid)) {
                    throw new IOException("cannot persist " + pid);
                }
                properties.set(call.getArgument(0));
                store.put(pid, configuration);
                return null;
            }).when(configuration).update(any());
            doAnswer(call -> store.remove(pid)).when(configuration).delete();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return configuration;
    }

    /** Writes a configuration of that PID (no factory) with these properties. */
    void put(String pid, Map<String, Object> properties) throws IOException {
        configuration(pid, null).update(new Hashtable<>(properties));
    }

    /** The parameters in the configuration of that PID. */
    Map<String, Object> paramsOf(String pid) {
        return ParamConfigs.params(store.get(pid).getProperties());
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
}
