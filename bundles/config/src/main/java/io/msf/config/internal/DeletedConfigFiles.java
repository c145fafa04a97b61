package io.msf.config.internal;

import io.msf.config.api.ConfigProblem;
import io.msf.config.api.ConfigValidation;
import io.msf.config.internal.ConfigOrigins.Origin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.Logger;

/**
 * The write-back of a deletion: the file of a watched folder that a configuration deleted through
 * Config Admin came from is deleted too, as FileInstall's own write-back did, or it would bring the
 * configuration back at the next start (or its next edit).
 *
 * <p>A file edited since it was applied (an edit not read yet, or one the gate refused) is kept: the
 * operator's edit wins. A file elsewhere is never deleted (a configuration whose mark still names one
 * takes along the file of a watched folder named after it, if there is one), nor a {@code .json} file,
 * which may define other services: a WARN line says it still defines the deleted one, or, if the gate
 * refuses the file as it is now (an edit that does not parse, say), why: the file makes the
 * configuration again once it is valid, if it still defines the service. A file gone already is what
 * the deletion followed (FileInstall deleting the configuration of a deleted file, msf:undeploy
 * deleting the file first): nothing to do.
 *
 * <p>A configuration deleted before the write-back learned which file it came from (deleted while
 * Config Admin was still telling of its making, or made while msf-config started) is taken for one
 * made from the file named after its PID in a watched folder ({@link PidFiles}): FileInstall would
 * make it again from that file. What the file said when applied is known if the gate applied it;
 * otherwise (a file the gate does not read) it is deleted as it is, as FileInstall's own write-back
 * did, unless the gate refuses it: then the configuration was not made from it.
 */
final class DeletedConfigFiles {

    private final ConfigurationAdmin configAdmin;
    private final AppliedFiles applied;
    private final ConfigFileSaver saver;
    private final JsonServiceFiles jsonFiles;
    private final GateSwitch gateSwitch;
    private final ShownFiles shown;
    private final ConfigValidation gate;
    private final List<Path> watchedDirs;
    /** The Metatype descriptions: which keys hold passwords, which no error line repeats. */
    private final Function<String, Optional<Description>> descriptions;
    private final Logger log;

    /**
     * @param jsonFiles checks a {@code .json} file as the gate does
     * @param gateSwitch whether the gate checks files: with it disabled it refuses fewer
     * @param gate the config gate, whose refused files made no configuration
     * @param watchedDirs FileInstall's folders of configuration files ({@link WatchedFolders})
     * @param descriptions finds the Metatype description of a PID or factory PID
     */
    DeletedConfigFiles(ConfigurationAdmin configAdmin, AppliedFiles applied, ConfigFileSaver saver,
            JsonServiceFiles jsonFiles, GateSwitch gateSwitch, ShownFiles shown, ConfigValidation gate,
            List<Path> watchedDirs, Function<String, Optional<Description>> descriptions, Logger log) {
        this.configAdmin = configAdmin;
        this.applied = applied;
        this.saver = saver;
        this.jsonFiles = jsonFiles;
        this.gateSwitch = gateSwitch;
        this.shown = shown;
        this.gate = gate;
        this.watchedDirs = List.copyOf(watchedDirs);
        this.descriptions = descriptions;
        this.log = log;
    }

    /** Configuration {@code pid}, made from the file {@code origin} names, was deleted. */
    void deleted(String pid, Origin origin) {
        Path file = origin.file();
        try {
            if (applied.takeRemoved(file) || !Files.isRegularFile(file)) {
                return; // the deletion followed the file's removal (the file may be back already)
            }
            if (origin.json()) {
                keptJson(file, pid);
                return;
            }
            if (ConfigOrigins.writable(file) && !inWatchedDir(file) && !PidFiles.of(watchedDirs, pid).isEmpty()) {
                // an old mark (ConfigSaveBack#watched): FileInstall makes the configuration from that file now
                deletedByName(pid, origin.values());
                return;
            }
            if (!ConfigOrigins.writable(file) || !inWatchedDir(file)) {
                // a mark naming another kind of file was not FileInstall's (etc/config.properties)
                log.warn("{}: not deleted with its configuration {}: only .cfg and .config files directly in a"
                        + " folder FileInstall watches ({}) are", shown.of(file), pid, watchedNames());
                return;
            }
            if (madeFromAgain(origin.key())) {
                return; // written again and applied before this event came (msf:undeploy, then msf:deploy)
            }
            if (ConfigFileSaver.readOnly(file)) {
                log.warn("{}: not deleted with its configuration {}: the file is read-only (or its folder is), and"
                        + " makes the configuration again at the next start; delete it to remove it for good",
                        shown.of(file), pid);
                return;
            }
            if (deleteIfApplied(pid, file, origin.values())) {
                applied.forget(file);
                log.info("{}: deleted: its configuration {} was deleted through Config Admin", shown.of(file), pid);
            } else {
                log.warn("{}: not deleted with its configuration {}: the file was edited since it was applied"
                        + " (config:rejected lists it if it was refused); the edit wins, and makes the configuration"
                        + " again once it is applied", shown.of(file), pid);
            }
        } catch (NoSuchFileException e) {
            // deleted meanwhile: nothing to do either
        } catch (IOException | RuntimeException e) {
            log.error("{}: not deleted with its configuration {}: {}", shown.of(file), pid, e.toString());
        }
    }

    /**
     * Configuration {@code pid} was deleted, and no file is recorded for it: the file of a watched
     * folder named after it, if there is one, is taken for its file.
     */
    void deletedUnrecorded(String pid) {
        deletedByName(pid, null);
    }

    /**
     * The deletion of configuration {@code pid}, taken for one of the file named after it.
     *
     * @param values what the configuration held, or null if not known
     */
    private void deletedByName(String pid, Map<String, Object> values) {
        List<Path> files = PidFiles.of(watchedDirs, pid);
        try {
            if (files.isEmpty() || existsAgain(pid)) {
                return; // not from a file; or made again since (FileInstall's key of the file is canonical)
            }
        } catch (IOException | RuntimeException e) {
            log.error("{}: not deleted with its configuration {}: {}", names(files), pid, e.toString());
            return;
        }
        if (files.size() > 1) {
            log.warn("{}: not deleted with their configuration {}: each makes it, and which one it came from is not"
                    + " known; delete the one that should not make it again", names(files), pid);
            return;
        }
        Path file = files.get(0);
        Map<String, ?> lastApplied = applied.lastApplied(file);
        if (lastApplied == null && refused(file)) {
            log.warn("{}: not deleted with its configuration {}: the config gate refuses the file (config:rejected"
                    + " says why), so it did not make the configuration; it makes it again once it is valid",
                    shown.of(file), pid);
            return;
        }
        deleted(pid, new Origin(file, NamedFactoryConfigs.fileKey(file.toFile()), false, values));
    }

    /**
     * Deletes {@code file} if it says what was last applied from it or what its configuration held
     * ({@code values}); with neither known, as it is. A file that cannot be read (edited since, and
     * refused) fails naming no password's characters: its passwords are those of configuration {@code pid}.
     */
    private boolean deleteIfApplied(String pid, Path file, Map<String, ?> values) throws IOException {
        Map<String, ?> lastApplied = applied.lastApplied(file);
        if (lastApplied == null && values == null) {
            Files.delete(file);
            return true;
        }
        Map<String, ?> held = values != null ? values : lastApplied;
        return saver.deleteIfItSays(file, lastApplied, held, SecretKeys.of(pid, held, descriptions));
    }

    private boolean existsAgain(String pid) throws IOException {
        try {
            return configAdmin.listConfigurations("(service.pid=" + NamedFactoryConfigs.escape(pid) + ")") != null;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("filter for PID " + pid + " rejected", e);
        }
    }

    private boolean refused(Path file) {
        String name = shown.of(file);
        return gate.rejected().stream().anyMatch(problem -> problem.file().equals(name));
    }

    private String names(List<Path> files) {
        return files.stream().map(shown::of).collect(Collectors.joining(", "));
    }

    /**
     * A {@code .json} file stays whatever it says; the operator is told when it still defines the
     * service, or why it is refused: then it is not read, and what it says of the service is not known.
     * Refused as the gate would refuse it now: with the gate disabled, only a file that cannot be read.
     */
    private void keptJson(Path file, String pid) {
        String service = Pids.name(pid); // a .json file's configurations are factory ones: msf.service~<name>
        String name = shown.of(file);
        JsonServiceFiles.Check check = jsonFiles.check(file, name);
        List<ConfigProblem> refusal = check.refusal(gateSwitch.enabled());
        if (!refusal.isEmpty()) {
            log.warn("{}: kept as it is, although its configuration {} was deleted through Config Admin: the file is"
                    + " refused as it is now ({}), and makes the configuration again once it is valid if it still"
                    + " defines service {}; a .json file is never deleted with a configuration", name, pid,
                    reasons(refusal), service);
        } else if (check.entries().stream().anyMatch(entry -> entry.name().equals(service))) {
            log.warn("{}: still defines service {}, whose configuration {} was deleted: the file makes it"
                    + " again at the next start or its next edit; remove the service from the file to remove"
                    + " it for good", name, service, pid);
        }
    }

    /** The problems without the file's name, which the line names already: {@code line 3: key 'k': reason}. */
    private static String reasons(List<ConfigProblem> problems) {
        return problems.stream()
                .map(p -> (p.line() > 0 ? "line " + p.line() + ": " : "") + (p.key().isEmpty() ? "" : "key '" + p.key()
                        + "': ") + p.reason())
                .collect(Collectors.joining("; "));
    }

    private boolean inWatchedDir(Path file) {
        return WatchedFolders.holds(watchedDirs, file);
    }

    /** The watched folders as operators know them, for a line saying a file is in none of them. */
    private String watchedNames() {
        return watchedDirs.isEmpty() ? "none"
                : watchedDirs.stream().map(shown::of).collect(Collectors.joining(", "));
    }

    private boolean madeFromAgain(String key) throws IOException {
        try {
            return configAdmin.listConfigurations("(" + NamedFactoryConfigs.FILENAME + "="
                    + NamedFactoryConfigs.escape(key) + ")") != null;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("filter for " + key + " rejected", e);
        }
    }
}
