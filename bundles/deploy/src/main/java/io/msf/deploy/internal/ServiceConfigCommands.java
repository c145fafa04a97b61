package io.msf.deploy.internal;

import io.msf.config.api.ConfigValidation;
import io.msf.deploy.api.ServiceState;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.osgi.service.cm.Configuration;

/**
 * What the console's commands ({@link io.msf.deploy.api.Deployer}: deploy, undeploy, update, rollback,
 * param) change and read: the services' configurations, so that a restarted container comes back with the
 * same services. The deployer's thread carries the changes out, as any other change of configuration;
 * {@link #await} waits for that.
 */
final class ServiceConfigCommands {

    private static final long AWAIT_POLL_MILLIS = 20;

    private final ServiceConfigs configs;
    private final DeploySources sources;
    private final Reconciliation reconciliation;
    /** The config gate, while there is one: what msf:deploy and msf:param set write is checked by it. */
    private final Supplier<ConfigValidation> gate;
    /** A file as operators know it (relative to msf.home). */
    private final Function<File, String> shown;
    /** Asks the deployer's thread for a pass (a rollback of a deploy folder jar changes no configuration). */
    private final Runnable requestReconcile;
    private final Function<String, Optional<ServiceState>> state;
    /**
     * The files {@code msf:deploy} wrote for new configurations, by service, until Config Admin has
     * them (FileInstall reads them at its next poll) or they are gone. A service of that name that runs
     * meanwhile (from a jar of the deploy folder, which the configuration replaces) is not what the
     * command deployed: {@link #await} does not answer with it.
     */
    private final Map<String, Path> unreadFiles = new ConcurrentHashMap<>();

    /** @param state what {@code msf:list} tells of a service, once {@link #await} has seen its changes carried out */
    ServiceConfigCommands(ServiceConfigs configs, DeploySources sources, Reconciliation reconciliation,
            Supplier<ConfigValidation> gate, Function<File, String> shown, Runnable requestReconcile,
            Function<String, Optional<ServiceState>> state) {
        this.configs = configs;
        this.sources = sources;
        this.reconciliation = reconciliation;
        this.gate = gate;
        this.shown = shown;
        this.requestReconcile = requestReconcile;
        this.state = state;
    }

    String deploy(String name, String location, Map<String, String> settings) throws IOException {
        String another = settings.get("location");
        if (another != null && !another.equals(location)) {
            throw new IllegalArgumentException("two locations for " + name + ": " + location + ", and location="
                    + another + " among the settings; give one; nothing written");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("location", location);
        properties.putAll(settings);
        ServiceSpecs.read(name, properties); // refuses a bad name, key or value before anything is written
        Optional<Configuration> existing = configs.find(name);
        // replaced in Config Admin alone, it would last only until that file is read again
        existing.flatMap(this::jsonFile).ifPresent(json -> {
            throw new IllegalArgumentException("service " + name + " is defined in " + json
                    + ": change it in that file; nothing written");
        });
        // so is what the config gate would refuse in its file: an unknown key, a parameter its PID cannot take
        ServiceConfigs.checkWhole(ServiceSpecs.FACTORY_PID + "~" + name, properties, gate.get());
        if (existing.isPresent()) {
            try {
                unreadFiles.remove(name);
                String origin = ServiceConfigs.origin(existing.get());
                configs.replace(existing.get(), properties);
                // the config write-back saves it into the file afterwards, on its own thread, and leaves a
                // read-only or meanwhile edited file alone: not known here, so not said to be written
                return origin.equals("Config Admin") ? "replaced in Config Admin (it has no file)"
                        : "replaced in Config Admin; the config write-back saves it into " + origin
                                + " unless a WARN line of log:tail says it is not";
            } catch (IllegalStateException e) {
                if (!ServiceConfigs.deleted(existing.get())) {
                    throw e;
                }
                // deleted since it was found (its file removed, msf:undeploy from another console): written
                // anew below, as it would have been a moment later
            }
        }
        String written = configs.create(name, properties);
        configs.newFile(name).ifPresent(file -> unreadFiles.put(name, file));
        return "written to " + written;
    }

    void undeploy(String name) throws IOException {
        Configuration configuration = configured(name);
        Optional<String> json = jsonFile(configuration);
        if (json.isPresent()) {
            // deleting the configuration alone would last only until that file is read again
            throw new IllegalArgumentException("service " + name + " is defined in " + json.get()
                    + ": remove it from that file (or delete the file)");
        }
        configs.delete(configuration);
    }

    /**
     * The {@code .json} file that defines the configuration, as operators know it; empty if none does,
     * nor any longer: a configuration deleted since it was found throws at each read, and msf:undeploy,
     * which was to delete it, failed with Config Admin's 'Configuration ... deleted'.
     */
    private Optional<String> jsonFile(Configuration configuration) {
        Object json;
        try {
            json = configuration.getProperties().get(ServiceConfigs.JSON_FILE);
        } catch (IllegalStateException deleted) {
            return Optional.empty(); // Config Admin's only IllegalStateException there (ServiceConfigs#all)
        }
        return json == null ? Optional.empty()
                : Optional.of(shown.apply(new File(java.net.URI.create(json.toString()))));
    }

    void update(String name, String locationOrVersion) throws IOException {
        Configuration configuration = configured(name);
        try {
            update(name, configuration, locationOrVersion);
        } catch (IllegalStateException e) {
            throw goneIfDeleted(name, configuration, e);
        }
    }

    private void update(String name, Configuration configuration, String locationOrVersion) throws IOException {
        boolean location = locationOrVersion.contains(":") || locationOrVersion.contains("/")
                || locationOrVersion.endsWith(".jar");
        if (location) {
            Map<String, Object> changes = new LinkedHashMap<>();
            changes.put("location", locationOrVersion);
            // the version key of the earlier location would hold the new jars to it: it stays only where it
            // still chooses the jar, for mvn: locations that name no version of their own
            if (!ServiceSpecs.splitLocations(locationOrVersion).stream()
                    .allMatch(l -> l.startsWith("mvn:") && Locations.mavenVersion(l) == null)) {
                changes.put("version", null);
            }
            configs.change(configuration, changes);
            return;
        }
        // a new version also goes into the mvn: locations that name one, or they would win over it
        ServiceSpec spec = ServiceSpecs.read(name, ServiceConfigs.properties(configuration));
        List<String> locations = spec.locations().stream()
                .map(l -> ServiceSpecs.withMavenVersion(l, locationOrVersion)).toList();
        configs.change(configuration, Map.of("version", locationOrVersion, "location", String.join(",", locations)));
    }

    void rollback(String name) throws IOException {
        ServiceSpecs.checkName(name);
        Optional<Configuration> configuration = configs.find(name);
        // a misspelt name is told as by the other commands, not as a service that has no version before
        if (configuration.isEmpty() && !sources.isJar(name)) {
            throw new IllegalArgumentException("no service named " + name + " is configured");
        }
        ServiceSpec previous = reconciliation.rollbackTarget(name).orElseThrow(() -> new IllegalArgumentException(
                "service " + name + " has no previous version to return to"));
        if (configuration.isPresent()) {
            try {
                configs.restore(configuration.get(), previous);
            } catch (IllegalStateException e) {
                throw goneIfDeleted(name, configuration.get(), e);
            }
        } else if (!sources.rollBackJar(name, previous)) {
            throw new IllegalArgumentException("service " + name + " is not configured");
        }
        requestReconcile.run();
    }

    Map<String, Object> parameters(String name) {
        try {
            ServiceSpecs.checkName(name);
            if (configs.find(name).isEmpty() && sources.isJar(name)) {
                return Map.of(); // a jar of deploy/ has no configuration to hold any: nothing wrong to tell
            }
            return ServiceSpecs.read(name, ServiceConfigs.properties(configured(name))).params();
        } catch (IOException e) {
            throw new IllegalStateException("Config Admin: " + e.getMessage(), e);
        }
    }

    /** The parameters of {@code name} typed PASSWORD by the PID they go to; none without the config gate. */
    Set<String> passwordParameters(String name) {
        ConfigValidation validation = gate.get();
        if (validation == null) {
            return Set.of();
        }
        try {
            ServiceSpecs.checkName(name);
            if (configs.find(name).isEmpty() && sources.isJar(name)) {
                return Set.of();
            }
            return validation.passwords(ServiceSpecs.read(name, ServiceConfigs.properties(configured(name))).pid());
        } catch (IOException e) {
            throw new IllegalStateException("Config Admin: " + e.getMessage(), e);
        }
    }

    void setParameter(String name, String key, String value) throws IOException {
        if (key.isBlank()) {
            throw new IllegalArgumentException("a parameter needs a name");
        }
        Configuration configuration = configured(name);
        try {
            configs.changeChecked(configuration, ServiceSpecs.FACTORY_PID + "~" + name,
                    Map.of(ServiceSpecs.PARAM_PREFIX + key, value), gate.get());
        } catch (IllegalStateException e) {
            throw goneIfDeleted(name, configuration, e);
        }
    }

    /**
     * {@code e} as thrown, or, when it is Config Admin's saying that the configuration the command found
     * was deleted since, the service told gone as {@link #configured} tells it a moment later, not in
     * Config Admin's words ('Configuration msf.service~x deleted').
     */
    private static RuntimeException goneIfDeleted(String name, Configuration configuration, IllegalStateException e) {
        return ServiceConfigs.deleted(configuration) ? new IllegalArgumentException("no service named " + name
                + " is configured: its configuration was deleted as this command read it; nothing changed") : e;
    }

    Optional<ServiceState> await(String name, Duration limit) throws InterruptedException, TimeoutException {
        if (unread(name)) {
            return Optional.empty(); // as for any configuration file FileInstall has not read yet
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (!reconciliation.settled(name, sources.changeCount(name))) {
            if (System.nanoTime() >= deadline) {
                throw new TimeoutException(name + ": changes still being carried out after " + limit.toMillis() + " ms");
            }
            Thread.sleep(AWAIT_POLL_MILLIS);
        }
        return state.apply(name);
    }

    /**
     * Whether the file {@code msf:deploy} wrote for the service is still to be read: Config Admin has
     * no configuration of it, and the file is there (one deleted meanwhile is read as nothing).
     */
    private boolean unread(String name) {
        Path file = unreadFiles.get(name);
        if (file == null) {
            return false;
        }
        try {
            if (configs.find(name).isEmpty() && Files.exists(file)) {
                return true;
            }
        } catch (IOException e) {
            throw new IllegalStateException("Config Admin: " + e.getMessage(), e);
        }
        unreadFiles.remove(name, file);
        return false;
    }

    private Configuration configured(String name) throws IOException {
        ServiceSpecs.checkName(name);
        return configs.find(name).orElseThrow(() -> new IllegalArgumentException(sources.isJar(name)
                ? "service " + name + " comes from the deploy folder: replace or delete its jar there"
                : "no service named " + name + " is configured"));
    }
}
