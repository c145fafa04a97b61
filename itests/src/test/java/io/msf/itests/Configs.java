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
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

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
        for (Configuration configuration : created) {
            try {
                configuration.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // deleted by the test itself
            }
        }
        written.clear();
        created.clear();
    }

    private static Dictionary<String, Object> properties(Object... keysAndValues) {
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }
}
