package io.msf.itests.deploy;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import io.msf.itests.Await;
import io.msf.itests.Configs;
import io.msf.itests.MsfTestSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The container of {@link MsfTestSupport} plus the deployer (msf-deploy, msf-monitor), with side-by-side
 * versions allowed and a repository folder holding the test services ({@link ServiceBundles}).
 */
public abstract class DeployTestSupport extends MsfTestSupport {

    private static final String REPOSITORIES = "msf.deploy.repositories";

    protected Configs configs;
    private final List<ServiceRegistration<?>> registrations = new CopyOnWriteArrayList<>();

    @Override
    @Configuration
    public Option[] configuration() throws IOException {
        Option[] container = super.configuration(); // first: it empties the work folder
        Path repository = Paths.get(System.getProperty("msf.itests.work"), getClass().getSimpleName().replace("IT", ""),
                "repository");
        ServiceBundles.writeAll(repository);
        // the monitor's HTTP endpoint off: on its default port it took the one of a container beside the tests
        return OptionUtils.combine(withTheMonitorOffline(container, "deploy"),
                frameworkProperty("org.osgi.framework.bsnversion").value("multiple"),
                frameworkProperty(REPOSITORIES).value(repository.toString()));
    }

    @Before
    public void trackConfigs() {
        configs = new Configs(service(ConfigurationAdmin.class), watchedDir());
    }

    @After
    public void removeConfigs() throws IOException {
        configs.removeAll();
    }

    @After
    public void withdraw() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }

    protected Deployer deployer() {
        return service(Deployer.class);
    }

    /** The folder where {@link ServiceBundles} wrote the services. */
    protected Path repository() {
        return Paths.get(context.getProperty(REPOSITORIES));
    }

    /** Waits until the service is in that phase and its state satisfies {@code also}; returns the state. */
    protected ServiceState awaitState(String name, Phase phase, Predicate<ServiceState> also) {
        return Await.value(name + " " + phase, () -> deployer().state(name).orElse(null),
                s -> s != null && s.phase() == phase && also.test(s));
    }

    protected ServiceState awaitActive(String name, String version) {
        return awaitState(name, Phase.ACTIVE, s -> s.version().equals(version));
    }

    protected void awaitGone(String name) {
        Await.until(name + " no longer deployed", () -> deployer().state(name).isEmpty());
    }

    /** Whether a bundle is still installed. */
    protected boolean installed(long bundleId) {
        return context.getBundle(bundleId) != null;
    }

    protected Optional<ServiceState> state(String name) {
        return deployer().state(name);
    }

    /** Runs a Gogo command line; returns what it printed and its result. */
    protected String console(String commandLine) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = service(CommandProcessor.class).createSession(new ByteArrayInputStream(new byte[0]),
                print, print);
        try {
            Object result = session.execute(commandLine);
            return out.toString(StandardCharsets.UTF_8) + (result == null ? "" : result);
        } finally {
            session.close();
        }
    }

    /** Collects the {@code msf/deploy/FAILED} events from now on. */
    protected List<Event> failures() {
        List<Event> events = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, Deployer.TOPIC_FAILED);
        registrations.add(context.registerService(EventHandler.class, (EventHandler) events::add, properties));
        return events;
    }

    /** A change of the configuration made while the deployer is stopped. */
    @FunctionalInterface
    protected interface Change {

        void make() throws Exception;
    }

    /**
     * Stops the deployer (its services keep running), makes the change, waits until Config Admin has
     * the service's configuration say {@code key = value}, and starts the deployer again: it then
     * adopts the running bundles.
     */
    protected void whileTheDeployerIsStopped(String name, String key, String value, Change change) throws Exception {
        Bundle deployerBundle = installedBundle("io.msf.deploy");
        deployerBundle.stop();
        try {
            change.make();
            Await.until("Config Admin has " + key + " = " + value + " for " + name,
                    () -> value.equals(configured(name, key)));
        } finally {
            deployerBundle.start();
        }
    }

    /** The value of a key of the service's configuration in Config Admin, null if there is none. */
    private String configured(String name, String key) {
        try {
            org.osgi.service.cm.Configuration[] found = service(ConfigurationAdmin.class).listConfigurations(
                    "(" + Constants.SERVICE_PID + "=" + Deployer.FACTORY_PID + "~" + name + ")");
            Object value = found == null ? null : found[0].getProperties().get(key);
            return value == null ? null : value.toString();
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
