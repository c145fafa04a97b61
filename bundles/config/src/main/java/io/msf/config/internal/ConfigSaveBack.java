package io.msf.config.internal;

import io.msf.config.api.ConfigProblem;
import io.msf.config.api.ConfigValidation;
import io.msf.files.FileInstallFolders;
import io.msf.files.FolderSync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.felix.utils.properties.InterpolationHelper;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.SynchronousConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
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
 * configuration's properties are gone when the event arrives. Config Admin makes a configuration
 * visible before it tells its listeners, so one may be deleted before its making was told: then
 * the file named after its PID is taken for its file ({@link DeletedConfigFiles#deletedUnrecorded}).
 *
 * <p>Config Admin tells this listener of each change synchronously, on the thread that made it,
 * where it only reads what it needs while the configuration is still there: which file it came from
 * and what it holds. The file work runs afterwards, in order, on a thread of its own
 * ({@value #THREAD}). Told asynchronously, as a plain listener is, it read the configuration only
 * when the event reached it: a configuration deleted by then left no trace of its file, and the
 * file, kept, brought it back at the next start.
 */
@Component(service = SynchronousConfigurationListener.class, immediate = true)
public final class ConfigSaveBack implements SynchronousConfigurationListener {

    /** Framework property: false turns the write-back off. */
    static final String SAVE = "msf.config.save";
    /** The thread that writes and deletes the files. */
    static final String THREAD = "msf-config-save";

    private final ConfigurationAdmin configAdmin;
    private final AppliedFiles applied;
    private final Logger log;
    private final ShownFiles shown;
    private final ConfigFileSaver saver;
    private final ConfigOrigins origins = new ConfigOrigins();
    private final DeletedConfigFiles deletions;
    private final JsonServiceFiles jsonFiles;
    /** FileInstall's folders of configuration files: only files directly in them are written. */
    private final List<Path> watchedDirs;
    /** The config gate, which checks a change as it would check the file it is saved into (while it is on). */
    private final ConfigValidation gate;
    /** The Metatype descriptions: which keys hold passwords, not to be told. */
    private final MetatypeLookup descriptions;
    private final boolean enabled;
    /** Runs the file work in the order of the events; this component's own thread, or the test's. */
    private final Executor fileWork;

    @Activate
    public ConfigSaveBack(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference MetaTypeService metatype, @Reference AppliedFiles applied, @Reference GateSwitch gateSwitch,
            @Reference(target = "(component.name=io.msf.config.internal.ConfigGate)") ConfigValidation gate,
            @Reference(service = LoggerFactory.class) Logger log) {
        this(context, configAdmin, metatype, applied, gateSwitch, gate, log, Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, THREAD);
            thread.setDaemon(true);
            return thread;
        }));
    }

    /** @param fileWork runs the file work of each event, one after the other, in their order */
    ConfigSaveBack(BundleContext context, ConfigurationAdmin configAdmin, MetaTypeService metatype,
            AppliedFiles applied, GateSwitch gateSwitch, ConfigValidation gate, Logger log, Executor fileWork) {
        this.fileWork = fileWork;
        this.configAdmin = configAdmin;
        this.applied = applied;
        this.log = log;
        this.shown = new ShownFiles(context);
        this.saver = new ConfigFileSaver(FileInstallSettings.configEncoding(context::getProperty),
                new InterpolationHelper.BundleContextSubstitutionCallback(context), () -> { }, FolderSync::sync,
                (file, e) -> log.warn("{}: the change saved into it may be undone by a crash before the disk catches"
                        + " up: {}", shown.of(file), e.getMessage()));
        boolean wanted = !"false".equalsIgnoreCase(trimmed(context.getProperty(SAVE)));
        boolean fileInstallSaves = FileInstallSettings.fileInstallSaves(context::getProperty);
        this.enabled = wanted && !fileInstallSaves;
        this.descriptions = new MetatypeLookup(context, metatype,
                warning -> log.warn("{}: {}", ConfigGate.PID, warning));
        this.gate = gate;
        // the deletion of a configuration from a .json file tells why that file is refused, if it is
        this.watchedDirs = FileInstallFolders.watched(context::getProperty);
        this.jsonFiles = new JsonServiceFiles(configAdmin, descriptions, Clock.systemUTC(), shown::ofUri, watchedDirs);
        this.deletions = new DeletedConfigFiles(configAdmin, applied, saver, jsonFiles, gateSwitch, shown, gate,
                watchedDirs, descriptions, log);
        if (enabled) {
            log.info("{}: changes made through Config Admin are saved into the files they came from, and deletions"
                    + " delete them", SAVE);
            recordOrigins();
            fileWork.execute(this::removeLeftovers); // first, before any save
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
            log.error("{}: which files the configurations there at the start came from is not known; one deleted"
                    + " through Config Admin takes along only a file named after its PID: {}", SAVE, e.toString());
        }
    }

    /**
     * The text a write-back killed halfway (kill -9, a power loss) left beside a file: on the file work's
     * thread, before any save of this write-back, so none of its own is under way ({@link SavingLeftovers}).
     */
    private void removeLeftovers() {
        try {
            for (Path file : SavingLeftovers.remove(watchedDirs, Clock.systemUTC().instant())) {
                log.info("{}: removed, the text of a write-back that was stopped before it replaced its file",
                        shown.of(file));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("{}: the text left by a write-back stopped halfway (.<file>.<digits>.saving) is not removed from"
                    + " the watched folders: {}", SAVE, e.toString());
        }
    }

    /** Changes told before the stop are still saved: a stop must not lose an operator's change. */
    @Deactivate
    void stop() throws InterruptedException {
        if (fileWork instanceof ExecutorService own) {
            own.shutdown();
            if (!own.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("{}: the changes not saved yet 10 s after the stop began are not saved", THREAD);
                own.shutdownNow();
            }
        }
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }

    boolean enabled() {
        return enabled;
    }

    /**
     * On the thread that made the change, while the configuration still exists: which file it came
     * from is recorded now; the rest waits for the file work's thread.
     */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!enabled) {
            return;
        }
        String pid = event.getPid();
        switch (event.getType()) {
            case ConfigurationEvent.CM_UPDATED -> {
                ConfigOrigins.Origin before = origins.of(pid);
                if (recordOrigin(pid)) {
                    later(pid, () -> updated(pid, before));
                }
            }
            case ConfigurationEvent.CM_DELETED -> {
                ConfigOrigins.Origin origin = origins.deleted(pid);
                later(pid, () -> applied.whileHeld(() -> {
                    if (origin != null) {
                        deletions.deleted(pid, origin);
                    } else {
                        deletions.deletedUnrecorded(pid);
                    }
                }));
            }
            default -> { }
        }
    }

    private void later(String pid, Runnable work) {
        try {
            fileWork.execute(work);
        } catch (RejectedExecutionException e) {
            log.warn("{}: the change of configuration {} is not saved to its file, nor its deletion: msf-config is"
                    + " stopping", SAVE, pid);
        }
    }

    /** Whether the configuration is there (deleted since: its own event follows). */
    private boolean recordOrigin(String pid) {
        try {
            Configuration configuration = find(pid);
            Dictionary<String, Object> properties = configuration == null ? null
                    : ConfigOrigins.propertiesOf(configuration);
            if (properties != null) {
                origins.seen(pid, properties);
            }
            return properties != null;
        } catch (IOException | RuntimeException e) {
            log.error("{}: the change of configuration {} is not saved to its file: {}", SAVE, pid, e.toString());
            return false;
        }
    }

    /**
     * The file work of a change: the configuration as it is now, not as the event found it (a later
     * change's event follows); with the gate held off, which may be applying the file meanwhile.
     */
    /** @param before where the configuration came from and what it held before the change, or null if not known */
    private void updated(String pid, ConfigOrigins.Origin before) {
        applied.whileHeld(() -> {
            Path file = null;
            try {
                Configuration configuration = find(pid);
                Dictionary<String, Object> properties = configuration == null ? null
                        : ConfigOrigins.propertiesOf(configuration);
                file = properties == null ? null : fileOf(properties.get(NamedFactoryConfigs.FILENAME));
                if (file == null && properties != null && properties.get(JsonServiceFiles.MARK) != null) {
                    notSavedToJson(pid, properties);
                    return;
                }
                if (file == null || !Files.isRegularFile(file)) {
                    return; // gone, not from a file, or the file is gone (FileInstall deletes the configuration)
                }
                file = watched(file, pid);
                if (file == null) {
                    return;
                }
                save(pid, file, ConfigValues.own(properties),
                        before != null && before.file().equals(file) ? before.values() : null);
            } catch (IOException | RuntimeException e) {
                log.error("{}: the change of configuration {} is not saved to its file: {}",
                        file != null ? shown.of(file) : "?", pid, e.toString());
            }
        });
    }

    /**
     * A service configuration made from a {@code .json} file, which is never written back (it may define
     * other services, and its text is the operator's): the change applies until the file is read again,
     * said as for an XML file, so that a change of {@code msf:param set}, which tells the operator to
     * look for such a line, or of {@code msf:update}, is not taken as saved. The file's own configuration
     * arriving (made or changed from it) is nothing to say.
     */
    private void notSavedToJson(String pid, Dictionary<String, Object> properties) {
        Path file = ConfigOrigins.fileOf(properties.get(JsonServiceFiles.MARK));
        if (file == null || !Files.isRegularFile(file)) {
            return; // gone: the gate deletes its configurations
        }
        String service = Pids.name(pid); // a .json file's configurations are factory ones: msf.service~<name>
        Map<String, Object> own = ConfigValues.own(properties);
        boolean fromFile = jsonFiles.check(file, shown.of(file)).entries().stream()
                .filter(entry -> entry.name().equals(service))
                .anyMatch(entry -> {
                    Map<String, Object> said = new HashMap<>(entry.values());
                    said.put(JsonServiceFiles.MARK, properties.get(JsonServiceFiles.MARK));
                    return ConfigValues.same(said, own);
                });
        if (!fromFile) {
            log.warn("{}: the change of configuration {} is not saved to it: a .json file is not written back; the"
                    + " change applies until the file is read again (its next edit, the next start), which brings the"
                    + " file's values back", shown.of(file), pid);
        }
    }

    /**
     * The file to save into: {@code marked}, if directly in a watched folder; otherwise the file there
     * named after the configuration, which FileInstall makes it from now. A mark names a file outside
     * when the container started with another felix.fileinstall.dir, or was copied with Config Admin's
     * store in data/ (FileInstall leaves the mark of a configuration its new file says the same as): that
     * file is another installation's, or one FileInstall no longer reads. Null if there is none.
     */
    private Path watched(Path marked, String pid) {
        if (WatchedFolders.holds(watchedDirs, marked)) {
            return marked;
        }
        List<Path> named = PidFiles.of(watchedDirs, pid).stream().filter(ConfigOrigins::writable).toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        log.warn("{}: the change of configuration {} is not saved to it: the file lies outside the folders FileInstall"
                + " watches ({}), and none of them has one file named after the configuration", shown.of(marked), pid,
                watchedDirs.stream().map(shown::of).collect(Collectors.joining(", ")));
        return null;
    }

    /**
     * @param before what the configuration held before the change, when made from this file: for a
     *               file the gate did not apply, what the file says unless edited since
     */
    private void save(String pid, Path file, Map<String, Object> own, Map<String, ?> before) throws IOException {
        Map<String, ?> lastApplied = applied.lastApplied(file);
        if (lastApplied != null && ConfigValues.same(lastApplied, own)) {
            return; // the file's own configuration arriving: no change came through Config Admin
        }
        // A value the gate refuses (set through Config Admin directly, which the component may have
        // refused too): saved, it would make the gate refuse the whole file at the next start.
        List<ConfigProblem> problems = gate.check(pid, own);
        if (!problems.isEmpty()) {
            log.warn("{}: the change of configuration {} is not saved to it: the config gate would refuse it ({}); the"
                    + " file keeps what it says, in force again at the next start", shown.of(file), pid,
                    problems.stream().map(p -> p.key() + ": " + p.reason()).collect(Collectors.joining("; ")));
            return;
        }
        List<String> notReadBack = new ArrayList<>();
        Map<String, ?> baseline = lastApplied != null ? lastApplied : before;
        ConfigFileSaver.Outcome outcome = saver.save(file, own, baseline, SecretKeys.of(pid, own, descriptions),
                notReadBack::addAll);
        if (lastApplied == null) {
            // what the file says, now known, for the next change: not edited since, or the edit wins
            switch (outcome) {
                case SAME -> applied.applied(file, own);
                case XML, READ_ONLY, NOT_READ_BACK -> {
                    if (baseline != null) {
                        applied.applied(file, baseline); // the file says it: the saver found no edit
                    }
                }
                default -> { }
            }
        }
        switch (outcome) {
            case SAVED -> {
                applied.applied(file, own);
                log.info("{}: saved the change of configuration {}", shown.of(file), pid);
            }
            case EDITED_SINCE -> log.warn("{}: the change of configuration {} is not saved to it: the file was"
                    + " edited since it was applied (config:rejected lists it if it was refused); the file's"
                    + " values replace the change once it is applied", shown.of(file), pid);
            case XML -> log.warn("{}: the change of configuration {} is not saved to it: an XML configuration"
                    + " file is not written back; the change applies until the file is read again (its next edit,"
                    + " the next start), which brings the file's values back", shown.of(file), pid);
            case READ_ONLY -> log.warn("{}: the change of configuration {} is not saved to it: the file is read-only"
                    + " (or its folder is); the change applies until the file is read again (its next edit, the next"
                    + " start), which brings the file's values back", shown.of(file), pid);
            case NOT_READ_BACK -> log.warn("{}: the change of configuration {} is not saved to it: FileInstall would"
                    + " read {} from the file written (it reads a backslash or ${ in a value otherwise, and the file's"
                    + " charset may not hold a character); the change applies until the file is read again (its next"
                    + " edit, the next start), which brings the file's values back", shown.of(file), pid,
                    String.join(", ", notReadBack));
            case SAME -> { }
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
