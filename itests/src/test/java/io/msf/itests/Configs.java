package io.msf.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;

/**
 * Configurations a test creates, through Config Admin or as files in the watched directory,
 * removed again by {@link #removeAll()} so that the tests of a class do not see each other's.
 *
 * <p>A second update of a configuration waits until the component shows the first in force: Felix
 * SCR (2.2.12, and its trunk) reads an updated configuration's properties, then its change count, and
 * skips every event whose count it has seen. An update made between the two reads is taken for one
 * already applied, and the component keeps the properties of the one before, as if the second had
 * never been made.
 */
public final class Configs {

    /** A PID no component uses, updated after the deletions to learn when their events were handed out. */
    private static final String BARRIER_PID = "msf.itests.barrier";

    private final ConfigurationAdmin admin;
    private final Path watchedDir;
    private final List<Configuration> created = new ArrayList<>();
    private final List<Path> written = new ArrayList<>();

    public Configs(ConfigurationAdmin admin, Path watchedDir) {
        this.admin = admin;
        this.watchedDir = watchedDir;
    }

    /** Creates or updates the factory configuration {@code factoryPid~name}. */
    public Configuration factory(String factoryPid, String name, Object... keysAndValues) throws IOException {
        // "?": not bound to the first bundle that asks, so the msf bundle owning the PID gets it.
        Configuration configuration = admin.getFactoryConfiguration(factoryPid, name, "?");
        configuration.update(properties(keysAndValues));
        created.add(configuration);
        return configuration;
    }

    /** Updates the singleton configuration {@code pid}. */
    public Configuration singleton(String pid, Object... keysAndValues) throws IOException {
        Configuration configuration = admin.getConfiguration(pid, "?");
        configuration.update(properties(keysAndValues));
        created.add(configuration);
        return configuration;
    }

    /**
     * Writes a config file into the watched directory in one step (written beside it, then
     * moved), so that FileInstall never reads half a file.
     */
    public Path writeFile(String fileName, String... lines) throws IOException {
        Path target = watchedDir.resolve(fileName);
        Path staged = Files.write(watchedDir.resolveSibling(fileName + ".staged"),
                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        written.add(target);
        return target;
    }

    public void removeAll() throws IOException {
        for (Path file : written) {
            Files.deleteIfExists(file);
        }
        boolean deleted = false;
        for (Configuration configuration : created) {
            try {
                configuration.delete();
                deleted = true;
            } catch (IllegalStateException alreadyDeleted) {
                // deleted by the test itself
            }
        }
        written.clear();
        created.clear();
        if (deleted) {
            awaitEventsDelivered();
        }
    }

    /** Returns once SCR, and every other listener, has handled the configuration events made so far. */
    public void awaitDelivered() throws IOException {
        awaitEventsDelivered();
    }

    /**
     * Returns once every configuration event made so far has reached every listener, SCR's among them.
     * SCR handles a deletion by first looking for another configuration of the PID: one the next test
     * makes before that is taken in place of the deletion while SCR still counts changes as for the
     * deleted one, and its values may never reach the component. Felix Config Admin hands its events to
     * the (asynchronous) listeners one after the other, each to all of them in turn, so once an event
     * made after the deletions has reached a listener of ours, SCR has handled the deletions.
     */
    private void awaitEventsDelivered() throws IOException {
        BundleContext context = FrameworkUtil.getBundle(Configs.class).getBundleContext();
        CountDownLatch barrierSeen = new CountDownLatch(1);
        ConfigurationListener listener = event -> {
            if (BARRIER_PID.equals(event.getPid()) && event.getType() == ConfigurationEvent.CM_UPDATED) {
                barrierSeen.countDown();
            }
        };
        ServiceRegistration<ConfigurationListener> registration =
                context.registerService(ConfigurationListener.class, listener, null);
        Configuration barrier = admin.getConfiguration(BARRIER_PID, "?");
        try {
            barrier.update(properties("made", System.nanoTime()));
            if (!barrierSeen.await(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Config Admin delivered no event within " + Await.TIMEOUT_MILLIS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for Config Admin's events", e);
        } finally {
            registration.unregister();
            barrier.delete();
        }
    }

    private static Dictionary<String, Object> properties(Object... keysAndValues) {
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }
}
