package io.msf.deploy.internal;

import io.msf.config.api.ConfigProblem;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.osgi.service.cm.Configuration;
import org.osgi.service.log.Logger;

/**
 * Where the desired state comes from: the service configurations in Config Admin, and the jars
 * of the deploy folder (each a service named by its bundle symbolic name). A configuration wins
 * over a jar of the same name.
 */
final class DeploySources {

    /**
     * A jar's service: its latest good snapshot, why its latest version was refused (if it was), the
     * dropped file's modification time and when it was taken. Of two jars of one bundle the newer file
     * is deployed, so a new version can be dropped beside the old one before the old one is deleted;
     * not the one taken last: a container started again has FileInstall hand them over in the order
     * of their names (hello-1.0.9.jar after hello-1.0.10.jar), and would go back to the older version.
     * Of two as new, the one taken last.
     */
    private record Jar(String name, ServiceSpec spec, String problem, File file, long modified, long taken) {
    }

    /** Newer file first, then taken later: the last of a sorted list is the one deployed. */
    private static final Comparator<Jar> DEPLOYED_LAST = Comparator.comparingLong(Jar::modified)
            .thenComparingLong(Jar::taken);

    private final ServiceConfigs configs;
    private final DeployFolder folder;
    private final Logger log;
    /** By the dropped file's absolute path. */
    private final Map<String, Jar> jars = new ConcurrentHashMap<>();
    private final AtomicLong taken = new AtomicLong();

    private final Function<File, String> shown;
    private final WatchedJars watched;
    private final Supplier<List<ConfigProblem>> refusedFiles;
    /** The service whose last good state was taken from a jar of the deploy folder (as {@code shown} names it). */
    private final Function<String, Optional<String>> takenFrom;
    /**
     * The refused process files the log told of already: the clean-up asks at every change of a
     * source, and the line is said again only once the file was valid in between.
     */
    private final Set<String> refusedTold = ConcurrentHashMap.newKeySet();

    /**
     * @param shown how a file is named in messages, e.g. {@code deploy/x.jar}
     * @param watched the jars FileInstall has yet to hand over
     * @param refusedFiles what the config gate refuses now (none without the gate)
     * @param takenFrom the service whose last good state was taken from a jar, named as {@code shown}
     *     names it ({@link ServiceRecords#takenFrom})
     */
    DeploySources(ServiceConfigs configs, DeployFolder folder, Function<File, String> shown, WatchedJars watched,
            Supplier<List<ConfigProblem>> refusedFiles, Function<String, Optional<String>> takenFrom, Logger log) {
        this.configs = configs;
        this.folder = folder;
        this.shown = shown;
        this.watched = watched;
        this.refusedFiles = refusedFiles;
        this.takenFrom = takenFrom;
        this.log = log;
    }

    Map<String, Desired> desired() {
        Map<String, Desired> desired = new TreeMap<>();
        jars.values().stream().sorted(DEPLOYED_LAST).forEach(jar ->
                desired.put(jar.name(), new Desired(jar.spec(), jar.problem(), 0, shown.apply(jar.file()), true)));
        try {
            for (Map.Entry<String, Configuration> entry : configs.all().entrySet()) {
                try {
                    desired.put(entry.getKey(), fromConfiguration(entry.getKey(), entry.getValue()));
                } catch (IllegalStateException deleted) {
                    // deleted since it was listed (ServiceConfigs#all): not asked for, as in the pass its deletion brings
                }
            }
        } catch (IOException e) {
            log.error("cannot list the service configurations: {}", e.getMessage());
        }
        return desired;
    }

    private static Desired fromConfiguration(String name, Configuration configuration) {
        String origin = ServiceConfigs.origin(configuration);
        try {
            ServiceSpec spec = ServiceSpecs.read(name, ServiceConfigs.properties(configuration));
            return new Desired(spec, "", configuration.getChangeCount(), origin);
        } catch (IllegalArgumentException e) {
            return new Desired(null, origin + ": " + e.getMessage(), configuration.getChangeCount(), origin);
        }
    }

    /**
     * Every service a source names now, or is going to once FileInstall hands it over: each
     * configuration (a disabled or unreadable one too), each jar taken, each jar lying in a folder
     * FileInstall watches ({@link WatchedJars}), and each service file the config gate refuses (none
     * of it reaches Config Admin, and the file may yet be fixed). Empty if that cannot be told (then
     * logged): a configuration or a folder that cannot be read, or a refused libmsf process file
     * (refused whole, its problems naming only the services at fault).
     */
    Optional<Set<String>> named() {
        Set<String> named = new TreeSet<>();
        jars.values().forEach(jar -> named.add(jar.name()));
        try {
            named.addAll(configs.all().keySet());
            named.addAll(watched.names(this::refusedName));
        } catch (IOException | RuntimeException e) {
            log.warn("deployer: the services configured at the start are not known, so no last good state is"
                    + " deleted: {}", e.toString());
            return Optional.empty();
        }
        List<ConfigProblem> refusedNow = refusedFiles.get();
        refusedTold.retainAll(refusedNow.stream().map(ConfigProblem::file).toList());
        for (ConfigProblem refused : refusedNow) {
            if (refused.file().endsWith(".json")) {
                // refused whole: its problems name only the services at fault, not all it configures
                Optional<String> service = serviceFileName(refused.file());
                if (service.isEmpty()) {
                    if (refusedTold.add(refused.file())) {
                        log.info("deployer: {} is refused and the services it configures cannot be told, so no"
                                + " last good state is deleted while it is", refused.file());
                    }
                    return Optional.empty();
                }
                named.add(service.get());
            } else if (refused.pid().startsWith(ServiceSpecs.FACTORY_PID + "~")) {
                named.add(refused.pid().substring(ServiceSpecs.FACTORY_PID.length() + 1));
            }
        }
        return Optional.of(named);
    }

    /**
     * The service a {@code .json} file configures by its name ({@code msf.service~<name>.json} or
     * {@code -<name>}); empty for a libmsf process file, which names its services inside.
     */
    static Optional<String> serviceFileName(String file) {
        String fileName = file.substring(file.lastIndexOf('/') + 1);
        String prefix = ServiceSpecs.FACTORY_PID;
        boolean service = fileName.startsWith(prefix + "~") || fileName.startsWith(prefix + "-");
        return service && fileName.length() > prefix.length() + 1 + ".json".length()
                ? Optional.of(fileName.substring(prefix.length() + 1, fileName.length() - ".json".length()))
                : Optional.empty();
    }

    /**
     * Change count of the service's configuration; 0 for a jar's service; -1 if neither exists (a
     * configuration deleted as it is read included: a command waiting for the service is told that it
     * is no longer deployed, not Config Admin's "deleted").
     */
    long changeCount(String name) {
        try {
            Configuration configuration = configs.find(name).orElse(null);
            if (configuration != null) {
                return configuration.getChangeCount();
            }
        } catch (IOException e) {
            return -1;
        } catch (IllegalStateException deleted) {
            // deleted as it was read (ServiceConfigs#all): as if it had not been listed
        }
        return isJar(name) ? 0 : -1;
    }

    boolean isJar(String name) {
        return jars.values().stream().anyMatch(jar -> jar.name().equals(name));
    }

    void jarChanged(File file) {
        String key = file.getAbsolutePath();
        Jar before = jars.get(key);
        try {
            DeployFolder.Snapshot snapshot = folder.take(file);
            if (before != null && !before.name().equals(snapshot.symbolicName())) {
                jars.remove(key);
            }
            ServiceSpec spec = new ServiceSpec(snapshot.symbolicName(), List.of(snapshot.copy().toUri().toString()), "",
                    ServiceSpecs.DEFAULT_START_LEVEL, true, ServiceSpecs.defaultPid(snapshot.symbolicName()),
                    Duration.ofMillis(ServiceSpecs.DEFAULT_HEALTH_TIMEOUT_MILLIS),
                    Duration.ofMillis(ServiceSpecs.DEFAULT_DRAIN_TIMEOUT_MILLIS), Map.of());
            jars.put(key, new Jar(snapshot.symbolicName(), spec, "", file, modified(file), taken.incrementAndGet()));
            log.info("{}: bundle {} {} taken", shown.apply(file), snapshot.symbolicName(), snapshot.version());
            sayIfConfigured(file, snapshot.symbolicName());
        } catch (DeployException e) {
            // logged by the reconciliation, with the service it concerns and what keeps running
            String problem = shown.apply(file) + " " + e.getMessage();
            String name = before != null ? before.name() : refusedName(file);
            if (before == null && !name.equals(refusedJarName(file))) {
                log.warn("{} {}; service {} was last taken from this file: its last good version runs again from the"
                        + " copy kept of it, until a good jar replaces this one", shown.apply(file), e.getMessage(),
                        name);
            }
            jars.put(key, new Jar(name, before == null ? null : before.spec(), problem, file, modified(file),
                    taken.incrementAndGet()));
        }
    }

    /** The dropped file's modification time (its target's, for a link); 0 if it cannot be read. */
    private static long modified(File file) {
        try {
            return Files.getLastModifiedTime(file.toPath()).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * A configuration of the service wins over the jar ({@link #desired}): said, or a jar dropped for
     * a configured service would seem taken and change nothing.
     */
    private void sayIfConfigured(File file, String name) {
        try {
            configs.find(name).ifPresent(configuration -> log.warn("{}: not deployed: service {} is configured by {},"
                    + " which a jar of the deploy folder does not replace", shown.apply(file), name,
                    ServiceConfigs.origin(configuration)));
        } catch (IOException e) {
            // the passes say that the configurations cannot be listed
        } catch (IllegalStateException deleted) {
            // deleted as it was read (ServiceConfigs#all): no configuration wins over the jar
        }
    }

    /**
     * The service a jar that cannot be taken stands for, its symbolic name unread: the one whose last
     * good state was taken from this same file (a container started with the jar overwritten by one
     * that does not read keeps that service), otherwise one named by the file, for its problem to be
     * shown. A jar replaced by a good one of another bundle, or removed, no longer names the service.
     */
    String refusedName(File file) {
        return takenFrom.apply(shown.apply(file)).orElseGet(() -> refusedJarName(file));
    }

    /** A service for a jar whose symbolic name cannot be read, for its problem to be shown: its file name. */
    static String refusedJarName(File file) {
        return file.getName().replaceFirst("\\.jar$", "");
    }

    void jarRemoved(File file) {
        jars.remove(file.getAbsolutePath());
    }

    /**
     * Points a jar's service at an earlier snapshot: the jar of its bundle that is deployed, the one
     * {@link #desired} takes of several; false if the service does not come from a jar.
     */
    boolean rollBackJar(String name, ServiceSpec previous) {
        Optional<Map.Entry<String, Jar>> deployed = jars.entrySet().stream()
                .filter(entry -> entry.getValue().name().equals(name))
                .max(Map.Entry.comparingByValue(DEPLOYED_LAST));
        if (deployed.isEmpty()) {
            return false;
        }
        Jar jar = deployed.get().getValue();
        // not over a jar taken or removed meanwhile (FileInstall's thread): that one is what the service is now
        jars.replace(deployed.get().getKey(), jar, new Jar(name, previous, "", jar.file(), jar.modified(), jar.taken()));
        return true;
    }
}
