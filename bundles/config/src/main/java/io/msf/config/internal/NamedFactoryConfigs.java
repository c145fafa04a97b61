package io.msf.config.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The configurations FileInstall made from files, found as FileInstall finds them: by the
 * {@value #FILENAME} property it puts in each. Also creates the first version of a
 * {@code factory~name} file's configuration, which FileInstall 3.7.4 cannot: it marks it with the
 * same property, and from then on FileInstall finds, updates, saves and deletes it like its own.
 */
final class NamedFactoryConfigs {

    static final String FILENAME = "felix.fileinstall.filename";

    private final ConfigurationAdmin configAdmin;
    private final List<Path> watchedDirs;

    /** @param watchedDirs FileInstall's folders of configuration files ({@link WatchedFolders}) */
    NamedFactoryConfigs(ConfigurationAdmin configAdmin, List<Path> watchedDirs) {
        this.configAdmin = configAdmin;
        this.watchedDirs = List.copyOf(watchedDirs);
    }

    /** Whether a configuration made from this file exists. */
    boolean existsFor(File file) throws IOException {
        return find(file) != null;
    }

    /**
     * The own properties ({@link ConfigValues#own}) of the configuration made from this
     * file; empty if there is none.
     */
    Optional<Map<String, Object>> valuesFrom(File file) throws IOException {
        Configuration configuration = find(file);
        if (configuration == null) {
            return Optional.empty();
        }
        Dictionary<String, Object> properties = configuration.getProperties();
        return Optional.of(properties == null ? Map.of() : ConfigValues.own(properties));
    }

    /**
     * The other file the configuration {@code pid} was made from, a {@code .cfg}, {@code .config} or
     * {@code .json} file that is still there, in a watched folder; empty if it was made from
     * {@code file}, from no file, from one gone since, or from one outside every watched folder now
     * (FileInstall does not read it again, nor sees it deleted). Two watched files of one configuration
     * would each replace what the other applied, the last one read winning.
     */
    Optional<Path> otherFileOf(String pid, File file) throws IOException {
        Configuration[] found;
        try {
            found = configAdmin.listConfigurations("(service.pid=" + escape(pid) + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("filter for PID " + pid + " rejected", e);
        }
        Dictionary<String, Object> properties = found == null || found.length == 0 ? null : found[0].getProperties();
        if (properties == null) {
            return Optional.empty();
        }
        String own = fileKey(file);
        return Stream.of(properties.get(FILENAME), properties.get(JsonServiceFiles.MARK))
                .filter(key -> key != null && !own.equals(key))
                .map(ConfigOrigins::fileOf)
                .filter(other -> other != null && Files.isRegularFile(other) && WatchedFolders.holds(watchedDirs, other))
                .findFirst();
    }

    private Configuration find(File file) throws IOException {
        try {
            Configuration[] found = configAdmin.listConfigurations("(" + FILENAME + "=" + escape(fileKey(file)) + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("filter for " + file + " rejected", e);
        }
    }

    /** Creates the factory configuration {@code name} of the file's factory PID with the file's values. */
    void create(File file, ConfigFileName name, ParsedConfig config) throws IOException {
        Configuration configuration = configAdmin.getFactoryConfiguration(name.pid(), name.name(), "?");
        Hashtable<String, Object> properties = new Hashtable<>(config.values());
        properties.put(FILENAME, fileKey(file));
        configuration.update(properties);
    }

    /** FileInstall's key for a file: its absolute URI. */
    static String fileKey(File file) {
        return file.getAbsoluteFile().toURI().toString();
    }

    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '(' || c == ')' || c == '*') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
