package io.msf.config.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The file each configuration came from, and what the configuration held when last seen. Config
 * Admin reports a deletion once the configuration is gone, its properties with it (the file's mark
 * among them), so the write-back of a deletion needs this record, as FileInstall's own write-back
 * keeps one (its pidToFile).
 */
final class ConfigOrigins {

    /** The configurations made from a file: FileInstall's mark of a .cfg or .config file, the gate's of a .json one. */
    static final String FROM_FILES = "(|(" + NamedFactoryConfigs.FILENAME + "=*)(" + JsonServiceFiles.MARK + "=*))";

    /**
     * @param key the file's mark, its URI as FileInstall or the gate wrote it
     * @param json whether a {@code .json} file, which may hold several configurations
     * @param values the configuration's own properties ({@link ConfigValues#own}) when last seen,
     *               or null if it was not seen (deleted before its making was told)
     */
    record Origin(Path file, String key, boolean json, Map<String, Object> values) {
    }

    private final Map<String, Origin> byPid = new ConcurrentHashMap<>();

    /** Records where each configuration in Config Admin now came from. */
    void seenAll(ConfigurationAdmin configAdmin) throws IOException {
        try {
            Configuration[] found = configAdmin.listConfigurations(FROM_FILES);
            for (Configuration configuration : found == null ? new Configuration[0] : found) {
                Dictionary<String, Object> properties = propertiesOf(configuration);
                if (properties != null) {
                    seen(configuration.getPid(), properties);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("filter " + FROM_FILES + " rejected", e);
        }
    }

    /**
     * The configuration's properties; null if it has none yet, or if it was deleted since it was
     * found (Config Admin throws IllegalStateException then): its deletion's event follows.
     */
    static Dictionary<String, Object> propertiesOf(Configuration configuration) {
        try {
            return configuration.getProperties();
        } catch (IllegalStateException deleted) {
            return null;
        }
    }

    /** Records where the configuration with these properties came from: a file, or none. */
    void seen(String pid, Dictionary<String, Object> properties) {
        Origin origin = originOf(properties);
        if (origin == null) {
            byPid.remove(pid);
        } else {
            byPid.put(pid, origin);
        }
    }

    /** Where the configuration came from and what it held when last seen; null if from no file (or not known). */
    Origin of(String pid) {
        return byPid.get(pid);
    }

    /** Where the configuration deleted came from, forgotten now; null if from no file (or not known). */
    Origin deleted(String pid) {
        return byPid.remove(pid);
    }

    private static Origin originOf(Dictionary<String, Object> properties) {
        Object json = properties.get(JsonServiceFiles.MARK);
        Object key = json != null ? json : properties.get(NamedFactoryConfigs.FILENAME);
        Path file = fileOf(key);
        return file == null ? null
                : new Origin(file, (String) key, json != null, Map.copyOf(ConfigValues.own(properties)));
    }

    /** Whether {@code file} is a {@code .cfg} or {@code .config} file, the kinds the write-back writes. */
    static boolean writable(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".cfg") || name.endsWith(".config");
    }

    /** The file a FileInstall (or gate) file key names, or null. */
    static Path fileOf(Object key) {
        if (!(key instanceof String uri) || !uri.startsWith("file:")) {
            return null;
        }
        try {
            return Path.of(URI.create(uri));
        } catch (IllegalArgumentException e) {
            return null; // not a file URI anyone here wrote
        }
    }
}
