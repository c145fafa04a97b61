package io.msf.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Dictionary;
import java.util.Map;
import org.apache.felix.utils.properties.InterpolationHelper;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.MetaTypeService;

/**
 * Saves a change made through Config Admin (a console command, say) back into the file of
 * {@code etc/} the configuration came from, in place of FileInstall's own write-back: only when
 * the file says something else, and by replacing the file in one rename ({@link ConfigFileSaver}).
 *
 * <p>FileInstall's write-back must then be off ({@value FileInstallSettings#ENABLE_CONFIG_SAVE}
 * {@code = false}): it rewrites every file in place, truncating it first, right after the file's own
 * configuration was applied, and its watcher can read that empty file and apply it (FELIX-6515). A
 * container start applies every file of etc/, so each start ran that race once per file. With
 * FileInstall's write-back on (its default when the property is not set; {@link FileInstallSettings}
 * reads it as FileInstall does), this one stays off and says why.
 *
 * <p>A file edited since the gate last applied it (an edit not read yet, or one the gate refused)
 * is not written over: the operator's edit wins, a WARN line says the change was not saved, and the
 * edit, once valid, replaces the change ({@link AppliedFiles}). A change that is only the file's own
 * configuration arriving writes nothing. An XML file is not written ({@link ConfigFileSaver.Outcome#XML}):
 * a WARN line says the change was not saved. {@value #SAVE} {@code = false} turns the write-back off.
 *
 * <p>Deleting a configuration through Config Admin deletes its file, by the same rules, as
 * FileInstall's write-back did ({@link DeletedConfigFiles}): the file would bring it back at the
 * next start. Which file that was is recorded beforehand ({@link ConfigOrigins}): the deleted
 * configuration's properties are gone when the event arrives.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public final class ConfigSaveBack implements ConfigurationListener {

    /** Framework property: false turns the write-back off. */
    static final String SAVE = "msf.config.save";

    private final ConfigurationAdmin configAdmin;
    private final AppliedFiles applied;
    private final Logger log;
    private final ShownFiles shown;
    private final ConfigFileSaver saver;
    private final ConfigOrigins origins = new ConfigOrigins();
    private final DeletedConfigFiles deletions;
    private final boolean enabled;

    @Activate
    public ConfigSaveBack(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference MetaTypeService metatype, @Reference AppliedFiles applied, @Reference GateSwitch gateSwitch,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.configAdmin = configAdmin;
        this.applied = applied;
        this.log = log;
        this.shown = new ShownFiles(context);
        this.saver = new ConfigFileSaver(FileInstallSettings.configEncoding(context::getProperty),
                new InterpolationHelper.BundleContextSubstitutionCallback(context));
        boolean wanted = !"false".equalsIgnoreCase(trimmed(context.getProperty(SAVE)));
        boolean fileInstallSaves = FileInstallSettings.fileInstallSaves(context::getProperty);
        this.enabled = wanted && !fileInstallSaves;
        // the deletion of a configuration from a .json file tells why that file is refused, if it is
        JsonServiceFiles jsonFiles = new JsonServiceFiles(configAdmin, new MetatypeLookup(context, metatype),
                Clock.systemUTC(), shown::ofUri);
        this.deletions = new DeletedConfigFiles(configAdmin, applied, saver, jsonFiles, gateSwitch, shown,
                WatchedFolders.of(context::getProperty), log);
        if (enabled) {
            log.info("{}: changes made through Config Admin are saved into the files they came from, and deletions"
                    + " delete them", SAVE);
            recordOrigins();
        }
        if (wanted && fileInstallSaves) {
            log.warn("{} is not false: FileInstall writes configuration changes back into etc/ itself, in place,"
                    + " and may read a file it is rewriting as empty and apply that (FELIX-6515); set it to false,"
                    + " msf then saves changes by replacing the file", FileInstallSettings.ENABLE_CONFIG_SAVE);
        }
    }

    /** The configurations from files that exist already (the container started with them): no event names them. */
    private void recordOrigins() {
        try {
            origins.seenAll(configAdmin);
        } catch (IOException | RuntimeException e) {
            log.error("{}: configurations deleted through Config Admin that were there at the start keep their"
                    + " files: {}", SAVE, e.toString());
        }
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }

    boolean enabled() {
        return enabled;
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!enabled) {
            return;
        }
        switch (event.getType()) {
            case ConfigurationEvent.CM_UPDATED -> updated(event);
            case ConfigurationEvent.CM_DELETED -> {
                ConfigOrigins.Origin origin = origins.deleted(event.getPid());
                if (origin != null) {
                    deletions.deleted(event.getPid(), origin);
                }
            }
            default -> { }
        }
    }

    private void updated(ConfigurationEvent event) {
        Path file = null;
        try {
            Configuration configuration = find(event.getPid());
            Dictionary<String, Object> properties = configuration == null ? null : configuration.getProperties();
            if (properties != null) {
                origins.seen(event.getPid(), properties);
            }
            file = properties == null ? null : fileOf(properties.get(NamedFactoryConfigs.FILENAME));
            if (file == null || !Files.isRegularFile(file)) {
                return; // not from a file (or the file is gone: FileInstall deletes the configuration)
            }
            Map<String, Object> own = ConfigValues.own(properties);
            Map<String, ?> lastApplied = applied.lastApplied(file);
            if (lastApplied != null && ConfigValues.same(lastApplied, own)) {
                return; // the file's own configuration arriving: no change came through Config Admin
            }
            switch (saver.save(file, own, lastApplied)) {
                case SAVED -> {
                    applied.applied(file, own);
                    log.info("{}: saved the change of configuration {}", shown.of(file), event.getPid());
                }
                case EDITED_SINCE -> log.warn("{}: the change of configuration {} is not saved to it: the file was"
                        + " edited since it was applied (config:rejected lists it if it was refused); the file's"
                        + " values replace the change once it is applied", shown.of(file), event.getPid());
                case XML -> log.warn("{}: the change of configuration {} is not saved to it: an XML configuration"
                        + " file is not written back; the change applies until the file is read again (its next edit,"
                        + " the next start), which brings the file's values back", shown.of(file), event.getPid());
                case SAME -> { }
            }
        } catch (IOException | RuntimeException e) {
            log.error("{}: the change of configuration {} is not saved to its file: {}",
                    file != null ? shown.of(file) : "?", event.getPid(), e.toString());
        }
    }

    /** The configuration as it is now (without creating one, as getConfiguration would). */
    private Configuration find(String pid) throws IOException {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + NamedFactoryConfigs.escape(pid) + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("filter for PID " + pid + " rejected", e);
        }
    }

    /** The .cfg or .config file a FileInstall file key names, or null. */
    private static Path fileOf(Object key) {
        Path file = ConfigOrigins.fileOf(key);
        return file != null && ConfigOrigins.writable(file) ? file : null;
    }
}
