package io.msf.deploy.internal;

import io.msf.config.api.ConfigValidation;
import io.msf.files.OwnerOnly;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The service configurations in Config Admin: reading them by service name, and the changes the
 * console makes. A new service is written as a file of the watched folder when there is one (so it
 * survives a restart, and the config gate checks it); changes to an existing one go through Config
 * Admin, and msf-config saves them back to its file (msf.config.save).
 */
final class ServiceConfigs {

    /** FileInstall's mark of a configuration made from a file: the file's URI. */
    static final String FILENAME = "felix.fileinstall.filename";
    /** The config gate's mark of a configuration made from a JSON file, which FileInstall does not save. */
    static final String JSON_FILE = "msf.config.file";
    /** How the name of a file's text written before its rename ends ({@link DeployLeftovers} removes what a crash left). */
    static final String TEMPORARY_SUFFIX = ".tmp";
    /** How often a change reads a configuration that keeps changing under it before it gives up. */
    static final int READS = 5;

    private final ConfigurationAdmin configAdmin;
    private final Path watchedDir;
    private final DiskSync sync;

    /** @param watchedDir FileInstall's configuration folder, or null if there is none */
    ServiceConfigs(ConfigurationAdmin configAdmin, Path watchedDir) {
        this(configAdmin, watchedDir, DiskSync.FOLDER);
    }

    /** @param sync forces the watched folder to the disk after a file is renamed into it */
    ServiceConfigs(ConfigurationAdmin configAdmin, Path watchedDir, DiskSync sync) {
        this.configAdmin = configAdmin;
        this.watchedDir = watchedDir;
        this.sync = sync;
    }

    /**
     * Every service configuration, by service name. One deleted since Config Admin listed it is left
     * out. One deleted later throws IllegalStateException at each read (its properties, its change
     * count: Config Admin's only IllegalStateException there), which a reader takes as not listed:
     * two service files removed at once, or msf:undeploy from another console, delete one while the
     * deployer reads what it listed.
     */
    Map<String, Configuration> all() throws IOException {
        Map<String, Configuration> byName = new TreeMap<>();
        for (Configuration configuration : list("(service.factoryPid=" + ServiceSpecs.FACTORY_PID + ")")) {
            try {
                byName.put(nameOf(configuration), configuration);
            } catch (IllegalStateException deleted) {
                // deleted since it was listed: gone, as it would be from a list a moment later
            }
        }
        return byName;
    }

    /**
     * Whether Config Admin deleted {@code configuration} since it was listed: each read then throws
     * IllegalStateException, as does an update that found it changed at each read ({@link #change}).
     */
    static boolean deleted(Configuration configuration) {
        try {
            configuration.getChangeCount();
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    Optional<Configuration> find(String name) throws IOException {
        return Optional.ofNullable(all().get(name));
    }

    /**
     * The service name of a configuration: what follows {@code '~'} in its PID, or, for a file
     * FileInstall named itself ({@code msf.service-<name>.cfg}), what follows {@code '-'} there.
     */
    static String nameOf(Configuration configuration) {
        String name = ServiceSpecs.nameOf(configuration.getPid());
        if (name != null) {
            return name;
        }
        Object file = configuration.getProperties().get(FILENAME);
        if (file != null) {
            String fileName = file.toString().substring(file.toString().lastIndexOf('/') + 1);
            String prefix = ServiceSpecs.FACTORY_PID + "-";
            int dot = fileName.lastIndexOf('.');
            if (fileName.startsWith(prefix) && dot > prefix.length()) {
                return fileName.substring(prefix.length(), dot);
            }
        }
        return configuration.getPid();
    }

    static Map<String, Object> properties(Configuration configuration) {
        Dictionary<String, Object> dictionary = configuration.getProperties();
        Map<String, Object> map = new HashMap<>();
        for (Enumeration<String> keys = dictionary.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            map.put(key, dictionary.get(key));
        }
        return map;
    }

    /**
     * Creates a service's configuration; returns where it was written.
     *
     * @throws IllegalArgumentException if its file is there already, not applied (refused by the
     *     config gate, say), or appeared while this one was written (saved by an editor, another
     *     container on the same folder): the operator's file is not written over; nothing is written
     */
    String create(String name, Map<String, String> properties) throws IOException {
        Optional<Path> newFile = newFile(name);
        if (newFile.isPresent()) {
            Path file = newFile.get();
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException(file + " is there already, and not applied (config:rejected says"
                        + " why if the config gate refused it): fix or delete it; nothing written");
            }
            try {
                writeAtomically(file, properties);
            } catch (FileAlreadyExistsException e) {
                throw new IllegalArgumentException(file + " appeared while msf:deploy wrote it (saved meanwhile by an"
                        + " editor, or by another container on this folder?): it is left as it is; check it, or"
                        + " delete it and deploy again; nothing written");
            }
            try {
                sync.sync(file.toAbsolutePath().getParent()); // the new name on the disk too, not only the text
            } catch (IOException e) {
                // the file is in place, whole, and FileInstall deploys it: told as written, not as failed
                return file + " (but a crash before the disk catches up may undo it: " + e.getMessage() + ")";
            }
            return file.toString();
        }
        Configuration configuration = configAdmin.getFactoryConfiguration(ServiceSpecs.FACTORY_PID, name, "?");
        configuration.update(new Hashtable<>(properties));
        return "Config Admin (" + configuration.getPid() + "; no watched folder, so not saved to a file)";
    }

    /**
     * The file {@link #create} writes a new service's configuration to, which FileInstall reads at
     * its next poll; empty if there is no watched folder (the configuration is then made in Config
     * Admin at once).
     */
    Optional<Path> newFile(String name) {
        return watchedDir != null && Files.isDirectory(watchedDir)
                ? Optional.of(watchedDir.resolve(ServiceSpecs.FACTORY_PID + "~" + name + ".cfg")) : Optional.empty();
    }

    /** Changes some keys of an existing configuration (a null value removes the key). */
    void change(Configuration configuration, Map<String, ?> changes) throws IOException {
        update(configuration, current -> changed(current, changes));
    }

    /**
     * Updates {@code configuration} with what {@code next} makes of its properties, read again if they
     * changed meanwhile: an edit of the service's file that the config gate applied between the read
     * and the update (the commands' turn-taking does not wait for it) would otherwise be undone, in
     * Config Admin and then, by the config write-back, in the file, though the command changed other
     * keys. Config Admin has no compare-and-set: a change between the last look and the update is
     * still possible, but that window is no longer the gate's whole check of the change.
     *
     * @throws IllegalStateException the configuration changed at each of {@link #READS} reads; nothing changed
     */
    private static void update(Configuration configuration, Function<Map<String, Object>, Hashtable<String, Object>> next)
            throws IOException {
        for (int read = 1; read <= READS; read++) {
            long count = configuration.getChangeCount();
            Hashtable<String, Object> properties = next.apply(properties(configuration));
            if (configuration.getChangeCount() == count) {
                configuration.update(properties);
                return;
            }
        }
        throw new IllegalStateException("the configuration " + configuration.getPid() + " changed at each of " + READS
                + " reads while this change was made (its file being edited?): nothing changed; try again");
    }

    /**
     * Changes some keys of an existing configuration once the config gate has checked them as it
     * checks a file: a change through Config Admin passes no file, so a value the service cannot
     * take (a word for a number, an unknown parameter) would reach it, and fail its component, while
     * the gate refuses the file written back and says the previous configuration stays in force.
     *
     * @param pid the configuration's PID as the gate names it ({@code msf.service~<name>})
     * @throws IllegalArgumentException naming each changed key the gate refuses, and why; nothing is written
     */
    void changeChecked(Configuration configuration, String pid, Map<String, ?> changes, ConfigValidation gate)
            throws IOException {
        update(configuration, current -> {
            Hashtable<String, Object> properties = changed(current, changes);
            refuseWhatTheGateRefuses(gate, pid, properties, changes::containsKey, "nothing changed");
            return properties;
        });
    }

    /**
     * Refuses a service's configuration as a whole (msf:deploy) if the config gate would refuse it:
     * written as a file, it would only be listed by config:rejected, and the command would wait for a
     * service that does not come.
     *
     * @param pid the configuration's PID as the gate names it ({@code msf.service~<name>})
     * @throws IllegalArgumentException naming each key the gate refuses, and why; nothing is written
     */
    static void checkWhole(String pid, Map<String, ?> properties, ConfigValidation gate) {
        refuseWhatTheGateRefuses(gate, pid, properties, key -> true, "nothing written");
    }

    private static void refuseWhatTheGateRefuses(ConfigValidation gate, String pid, Map<String, ?> properties,
            Predicate<String> ofTheseKeys, String outcome) {
        if (gate == null) {
            return;
        }
        List<String> refused = gate.check(pid, properties).stream()
                .filter(problem -> ofTheseKeys.test(problem.key()))
                .map(problem -> "key '" + problem.key() + "': " + problem.reason())
                .toList();
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", refused) + "; " + outcome);
        }
    }

    private static Hashtable<String, Object> changed(Map<String, Object> current, Map<String, ?> changes) {
        Hashtable<String, Object> properties = new Hashtable<>(current);
        changes.forEach((key, value) -> {
            if (value == null) {
                properties.remove(key);
            } else {
                properties.put(key, value);
            }
        });
        return properties;
    }

    /**
     * Replaces the keys of an existing configuration with {@code replacement}: a key it has that
     * {@code replacement} lacks goes (a redeploy is the configuration it names, not a merge with what
     * an earlier one left behind, such as {@code enabled = false} or an old {@code version}); the
     * marks of where the configuration comes from stay.
     */
    void replace(Configuration configuration, Map<String, ?> replacement) throws IOException {
        update(configuration, current -> {
            Map<String, Object> changes = new HashMap<>();
            for (String key : current.keySet()) {
                if (!isOriginMark(key)) {
                    changes.put(key, null);
                }
            }
            changes.putAll(replacement);
            return changed(current, changes);
        });
    }

    /**
     * Points the configuration back at an earlier version of the service: its bundles, and the
     * parameters it ran with (and the PID they went to), which a version is tested and run with as
     * much as with its bundles. The other keys (start level, timeouts, ...) stay as they are.
     */
    void restore(Configuration configuration, ServiceSpec previous) throws IOException {
        update(configuration, current -> {
            Map<String, Object> changes = new HashMap<>();
            for (String key : current.keySet()) {
                if (key.startsWith(ServiceSpecs.PARAM_PREFIX)) {
                    changes.put(key, null);
                }
            }
            previous.params().forEach((key, value) -> changes.put(ServiceSpecs.PARAM_PREFIX + key, value));
            changes.put("location", String.join(",", previous.locations()));
            changes.put("version", previous.version().isEmpty() ? null : previous.version());
            changes.put("pid", previous.pid().equals(ServiceSpecs.defaultPid(previous.name())) ? null : previous.pid());
            return changed(current, changes);
        });
    }

    /** Keys Config Admin, FileInstall and the config gate set, not the service's own. */
    private static boolean isOriginMark(String key) {
        return key.startsWith("service.") || key.equals(FILENAME) || key.equals(JSON_FILE);
    }

    /**
     * Deletes a configuration: its file when it has one (FileInstall then deletes the configuration).
     * A mark that is not a {@code file:} URL names no file to delete: the configuration goes alone.
     */
    void delete(Configuration configuration) throws IOException {
        try {
            Object file = configuration.getProperties().get(FILENAME);
            Optional<Path> path = file == null ? Optional.empty() : fileOf(file.toString());
            if (path.isPresent() && Files.isRegularFile(path.get())) {
                Files.delete(path.get());
            }
            configuration.delete();
        } catch (IllegalStateException e) {
            // deleted already (Config Admin's only IllegalStateException here): FileInstall, seeing the
            // file go, may come first, and deleted is what was wanted
        }
    }

    /** Where a configuration lives, for messages: its file, or Config Admin alone. */
    static String origin(Configuration configuration) {
        Dictionary<String, Object> properties = configuration.getProperties();
        Object json = properties.get(JSON_FILE);
        if (json != null) {
            return path(json.toString()); // the config gate's mark is a file: URL too
        }
        Object file = properties.get(FILENAME);
        return file != null ? path(file.toString()) : "Config Admin";
    }

    /**
     * FileInstall marks a configuration with its file's URL; messages name the file as a path, as
     * {@code msf:deploy} does for a file it writes itself.
     */
    private static String path(String url) {
        return fileOf(url).map(Path::toString).orElse(url); // not a file: URL after all: shown as it is
    }

    /** The file FileInstall's mark names, if it is a {@code file:} URL (a plain path or garbage is not). */
    private static Optional<Path> fileOf(String url) {
        try {
            return Optional.of(Path.of(URI.create(url)));
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * A temporary name the watcher ignores, then the file's name given to the whole text: FileInstall
     * never sees half a file. The file is owner-only (rw-------) whatever the umask, as the deployer's
     * record of the same parameters in data/ is: they may hold a token or a password.
     *
     * @throws FileAlreadyExistsException a file of that name appeared meanwhile; it is left as it is
     */
    private static void writeAtomically(Path file, Map<String, String> properties) throws IOException {
        Properties text = new Properties();
        text.putAll(properties);
        StringWriter out = new StringWriter();
        text.store(out, "written by msf:deploy");
        // a new file each time (rw------- on POSIX), never a leftover one with wider permissions
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), temporaryPrefix(file),
                TEMPORARY_SUFFIX);
        try {
            if (OwnerOnly.isPosix(temporary)) {
                Files.setPosixFilePermissions(temporary, OwnerOnly.FILE);
            }
            // on the disk before the file's name, and the name after it: a power loss between them could
            // leave an empty file, which the config gate refuses, or no file, and the service undeployed
            Files.writeString(temporary, out.toString(), StandardCharsets.ISO_8859_1, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            publish(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Gives the text written as {@code temporary} the name {@code file}, unless a file has that name:
     * one saved since {@link #create} looked (an editor, another container on the same folder) is the
     * operator's, and a rename replaces it, on POSIX even an atomic move not told to. A hard link
     * fails if the name is taken, in the same step that gives it. A file system without hard links
     * gets a move that looks first: a window left, though far shorter than writing the text.
     *
     * @throws FileAlreadyExistsException a file of that name is there; it is left as it is
     */
    private static void publish(Path temporary, Path file) throws IOException {
        try {
            Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            Files.move(temporary, file); // no REPLACE_EXISTING: FileAlreadyExistsException if it is there
        }
    }

    /** The start of the name of the text written beside {@code file}: hidden, then the file's name. */
    static String temporaryPrefix(Path file) {
        return "." + file.getFileName() + ".";
    }

    private Configuration[] list(String filter) throws IOException {
        try {
            Configuration[] found = configAdmin.listConfigurations(filter);
            return found == null ? new Configuration[0] : found;
        } catch (InvalidSyntaxException e) {
            throw new UncheckedIOException(new IOException("filter " + filter + " rejected", e));
        }
    }
}
