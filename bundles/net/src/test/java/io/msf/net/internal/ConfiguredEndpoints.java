package io.msf.net.internal;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.event.api.Transport;
import io.msf.files.DataFolder;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointInfo;
import io.msf.settings.testing.ComponentConfigs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.log.Logger;

/**
 * Configured endpoints in a real framework, for tests: what a {@link ConfiguredEndpoint} needs (NIO
 * loops, pools, the registry, a logger to verify), and every endpoint activated closed at the end.
 */
final class ConfiguredEndpoints implements AutoCloseable {

    final Logger log = mock(Logger.class);
    final TestPools pools = new TestPools();
    final EndpointRegistry registry = new EndpointRegistry();
    final TestLoops loops = new TestLoops(Transport.NIO);
    final BundleContext context;
    private final Framework framework;
    private final List<ConfiguredEndpoint> components = new ArrayList<>();

    /** Starts a framework with its cache and data folder in {@code tmp}. */
    ConfiguredEndpoints(Path tmp) throws BundleException {
        framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(Map.of(
                "org.osgi.framework.storage", tmp.resolve("cache").toString(),
                "org.osgi.framework.storage.clean", "onFirstInit",
                DataFolder.PROPERTY, tmp.resolve("data").toString()));
        framework.start();
        context = framework.getBundleContext();
    }

    /** Activates the endpoint of {@code pid} with {@code config} (handler {@code echo} unless given). */
    ConfiguredEndpoint activate(String pid, Map<String, Object> config) {
        ComponentContext componentContext = mock(ComponentContext.class);
        when(componentContext.getBundleContext()).thenReturn(context);
        ConfiguredEndpoint component = new ConfiguredEndpoint(configuration(config), Map.of("service.pid", pid),
                componentContext, loops, pools, registry, log);
        components.add(component);
        return component;
    }

    /** Registers an echoing {@link ChannelSetup} as handler {@code handler}. */
    ServiceRegistration<ChannelSetup> registerEcho(String handler) {
        return context.registerService(ChannelSetup.class, new EchoChannelSetup(),
                new Hashtable<>(Map.of(ChannelSetup.HANDLER_PROPERTY, handler)));
    }

    /** The endpoint activated first. */
    ConfiguredEndpoint first() {
        return components.get(0);
    }

    void deactivate(ConfiguredEndpoint endpoint) {
        endpoint.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        components.remove(endpoint);
    }

    /** Deactivates {@code endpoint} as SCR does for {@code reason} (a {@code ComponentConstants.DEACTIVATION_REASON_*}). */
    void deactivate(ConfiguredEndpoint endpoint, int reason) {
        endpoint.deactivate(reason);
        components.remove(endpoint);
    }

    /** Deactivates {@code endpoint} as SCR does when its configuration is deleted. */
    void delete(ConfiguredEndpoint endpoint) {
        endpoint.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        components.remove(endpoint);
    }

    /** A typed configuration of {@code values}, with handler {@code echo} unless given. */
    static EndpointConfiguration configuration(Map<String, Object> values) {
        Map<String, Object> withHandler = new HashMap<>(values);
        withHandler.putIfAbsent("handler", "echo");
        return ComponentConfigs.of(EndpointConfiguration.class, withHandler);
    }

    /** The endpoint listed under {@code name}. */
    EndpointInfo info(String name) {
        return registry.endpoints().stream().filter(i -> name.equals(i.name())).findFirst().orElseThrow();
    }

    /** The problems published now, by any service, as the launcher and the monitor read them. */
    List<String> published() throws InvalidSyntaxException {
        return publishedAs("msf.problems");
    }

    /** The warnings published now, by any service, as the monitor reads them. */
    List<String> warnings() throws InvalidSyntaxException {
        return publishedAs("msf.warnings");
    }

    private List<String> publishedAs(String property) throws InvalidSyntaxException {
        ServiceReference<?>[] references = context.getAllServiceReferences(null, "(" + property + "=*)");
        List<String> all = new ArrayList<>();
        if (references != null) {
            for (ServiceReference<?> reference : references) {
                all.addAll(List.of((String[]) reference.getProperty(property)));
            }
        }
        return all;
    }

    @Override
    public void close() throws Exception {
        components.forEach(component -> component.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED));
        loops.close();
        framework.stop();
        framework.waitForStop(10_000);
    }
}
