package io.msf.config.internal;

import io.msf.config.api.ConfigProblem;
import io.msf.config.internal.ConfigOrigins.Origin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
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
 * operator's edit wins. A file elsewhere is never deleted, nor a {@code .json} file, which may define
 * other services: a WARN line says it still defines the deleted one, or, if the gate refuses the file
 * as it is now (an edit that does not parse, say), why: the file makes the configuration again once
 * it is valid, if it still defines the service. A file gone already is what
 * the deletion followed (FileInstall deleting the configuration of a deleted file, msf:undeploy
 * deleting the file first): nothing to do.
 */
final class DeletedConfigFiles {

    private final ConfigurationAdmin configAdmin;
    private final AppliedFiles applied;
    private final ConfigFileSaver saver;
    private final JsonServiceFiles jsonFiles;
    private final GateSwitch gateSwitch;
    private final ShownFiles shown;
    private final List<Path> watchedDirs;
    private final Logger log;

    /**
     * @param jsonFiles checks a {@code .json} file as the gate does
     * @param gateSwitch whether the gate checks files: with it disabled it refuses fewer
     * @param watchedDirs FileInstall's folders of configuration files ({@link WatchedFolders})
     */
    DeletedConfigFiles(ConfigurationAdmin configAdmin, AppliedFiles applied, ConfigFileSaver saver,
            JsonServiceFiles jsonFiles, GateSwitch gateSwitch, ShownFiles shown, List<Path> watchedDirs, Logger log) {
        this.configAdmin = configAdmin;
        this.applied = applied;
        this.saver = saver;
        this.jsonFiles = jsonFiles;
        this.gateSwitch = gateSwitch;
        this.shown = shown;
        this.watchedDirs = List.copyOf(watchedDirs);
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
            if (!ConfigOrigins.writable(file) || !inWatchedDir(file)) {
                // a mark naming another kind of file was not FileInstall's (etc/config.properties)
                log.warn("{}: not deleted with its configuration {}: only .cfg and .config files directly in a"
                        + " folder FileInstall watches ({}) are", shown.of(file), pid, watchedNames());
                return;
            }
            if (madeFromAgain(origin.key())) {
                return; // written again and applied before this event came (msf:undeploy, then msf:deploy)
            }
            if (saver.deleteIfItSays(file, applied.lastApplied(file), origin.values())) {
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
     * A {@code .json} file stays whatever it says; the operator is told when it still defines the
     * service, or why it is refused: then it is not read, and what it says of the service is not known.
     * Refused as the gate would refuse it now: with the gate disabled, only a file that cannot be read.
     */
    private void keptJson(Path file, String pid) {
        String service = pid.substring(pid.indexOf('~') + 1);
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
