package io.msf.config.internal;

import io.msf.concurrent.DetachedThreads;
import io.msf.config.api.ConfigProblem;
import io.msf.config.api.ConfigValidation;
import io.msf.files.FileInstallFolders;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.apache.felix.utils.properties.InterpolationHelper;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The gate between the watched etc/ folder and Config Admin, for msf's own configuration files.
 *
 * <p>FileInstall gives each file to the first {@link org.apache.felix.fileinstall.ArtifactListener}
 * whose {@code canHandle} says yes, asking them by descending {@code service.ranking} (it keeps them
 * in a TreeMap of ServiceReferences and reverses it). This installer ranks above FileInstall's own
 * ConfigInstaller, checks {@code msf.*.cfg} and {@code msf.*.config} files against Metatype and hands
 * the valid ones to that ConfigInstaller, which creates, updates, saves back and deletes them as
 * usual. A rejected file never reaches Config Admin: the configuration before it stays in force.
 * It also reads the {@code .json} service and libmsf process files, which FileInstall cannot
 * ({@link JsonServiceFiles}).
 *
 * <p>FileInstall keeps handing a file to the listener that took it first, so this service must be
 * registered before FileInstall's first scan: FileInstall has to start after this bundle.
 */
@Component(service = {ArtifactInstaller.class, ConfigValidation.class}, immediate = true,
        configurationPid = ConfigGate.PID, property = Constants.SERVICE_RANKING + ":Integer=" + ConfigGate.RANKING)
@Designate(ocd = GateConfiguration.class)
public final class ConfigGate implements ArtifactInstaller, ConfigValidation {

    static final String PID = "msf.config";
    /** Above FileInstall's ConfigInstaller, which registers without a ranking (0). */
    static final int RANKING = 1000;
    /** The thread that checks files again after bundle events. */
    static final String RECHECK_THREAD = "msf-config-recheck";

    private final Logger log;
    private final ShownFiles shownFiles;
    private final FileCheck check;
    private final NamedFactoryConfigs configs;
    private final JsonServiceFiles jsonFiles;
    private final AppliedFiles applied;
    private final GateSwitch gateSwitch;
    private final BundleContext context;
    private final MetatypeLookup descriptions;
    private final UndescribedFiles undescribed = new UndescribedFiles();
    /**
     * Asks for the files of the PIDs a newly resolved bundle describes to be checked, and the refused
     * files again, when a bundle is resolved or uninstalled. Only asks: Felix delivers every bundle
     * event on one thread, which a pass reading files would hold up, once per bundle of a refresh.
     */
    private final BundleListener resolved;
    /**
     * The checks a bundle event asks for, on {@link #recheckThread}: one pass for the events that come
     * before it starts, one more for those that come while it runs. Stopped when the gate is deactivated:
     * a pass still under way then stops at its next file.
     */
    private final CoalescedPass rechecks;
    private final Executor recheckThread;
    private final RejectedFiles rejected = new RejectedFiles();
    /** Files refused because another file configures their configuration, each with that other file. */
    private final Map<File, Path> waitingFor = new ConcurrentHashMap<>();
    /** FileInstall's own installer for .cfg and .config files, while it is registered. */
    private final AtomicReference<ArtifactInstaller> fileInstallConfigs = new AtomicReference<>();

    @Activate
    public ConfigGate(GateConfiguration config, BundleContext context, @Reference MetaTypeService metatype,
            @Reference ConfigurationAdmin configAdmin, @Reference AppliedFiles applied, @Reference GateSwitch gateSwitch,
            @Reference(service = LoggerFactory.class) Logger log) {
        this(config, context, metatype, configAdmin, applied, gateSwitch, log,
                Executors.newSingleThreadExecutor(DetachedThreads.named(RECHECK_THREAD)));
    }

    /** @param recheckThread runs the checks bundle events ask for, one after the other */
    ConfigGate(GateConfiguration config, BundleContext context, MetaTypeService metatype,
            ConfigurationAdmin configAdmin, AppliedFiles applied, GateSwitch gateSwitch, Logger log,
            Executor recheckThread) {
        this.log = log;
        this.recheckThread = recheckThread;
        this.rechecks = new CoalescedPass(recheckThread, this::recheck);
        this.applied = applied;
        this.gateSwitch = gateSwitch;
        this.context = context;
        this.shownFiles = new ShownFiles(context);
        ConfigFileReader reader = new ConfigFileReader(FileInstallSettings.configEncoding(context::getProperty),
                new InterpolationHelper.BundleContextSubstitutionCallback(context));
        this.descriptions = new MetatypeLookup(context, metatype, warning -> log.warn("{}: {}", PID, warning));
        this.check = new FileCheck(reader, descriptions, Clock.systemUTC());
        List<Path> watchedDirs = FileInstallFolders.watched(context::getProperty);
        this.configs = new NamedFactoryConfigs(configAdmin, watchedDirs);
        this.jsonFiles = new JsonServiceFiles(configAdmin, descriptions, Clock.systemUTC(), shownFiles::ofUri,
                watchedDirs);
        setEnabled(config.enabled());
        this.resolved = event -> {
            // an uninstalled bundle's descriptions go with it: the first other bundle's that describe a
            // PID decide now (the new version's, after a hot swap that installed it beside the old one)
            if (event.getType() == BundleEvent.RESOLVED || event.getType() == BundleEvent.UNINSTALLED) {
                rechecks.request();
            }
        };
        context.addBundleListener(resolved);
    }

    @Deactivate
    void stop() {
        rechecks.stop();
        context.removeBundleListener(resolved);
        if (recheckThread instanceof ExecutorService own) {
            // Not waited for, as Felix's event thread was not: a pass under way may itself wait for the
            // framework (a description lookup resolves bundles), whose refresh may be what stops this
            // component. It ends on its own; synchronized as FileInstall's calls are, it cannot overlap them.
            own.shutdown();
        }
    }

    /** What a bundle resolved or uninstalled may change: which files are described, and how. */
    private void recheck() {
        try {
            checkNowDescribed();
            checkRejectedAgain();
        } catch (RuntimeException | LinkageError e) { // a LinkageError: this bundle refreshed away under the pass
            log.error("{}: the files were not all checked again after a bundle event: {}", PID, e.toString());
        }
    }

    /**
     * FileInstall registers its ConfigInstaller as ArtifactInstaller and ConfigurationListener
     * when Config Admin is there, and withdraws it with Config Admin: a dynamic reference.
     */
    @Reference(service = ArtifactInstaller.class, target = "(objectClass=org.osgi.service.cm.ConfigurationListener)",
            cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindFileInstallConfigs")
    void bindFileInstallConfigs(ArtifactInstaller installer) {
        fileInstallConfigs.set(installer);
    }

    void unbindFileInstallConfigs(ArtifactInstaller installer) {
        fileInstallConfigs.compareAndSet(installer, null);
    }

    /** Changing {@code enabled} must not re-register the service: FileInstall would lose track of its files. */
    @Modified
    void modified(GateConfiguration config) {
        setEnabled(config.enabled());
    }

    private void setEnabled(boolean enabled) {
        gateSwitch.set(enabled);
        if (!enabled) {
            log.warn("{}: the configuration gate is disabled; msf.* files in etc/ are applied unchecked", PID);
        }
    }

    @Override
    public boolean canHandle(File artifact) {
        return ConfigFileName.of(artifact.getName()).isPresent() || JsonServiceFiles.handles(artifact);
    }

    /** Synchronized, as the files are checked again on {@link #RECHECK_THREAD} after bundle events. */
    @Override
    public synchronized void install(File artifact) throws Exception {
        apply(artifact);
    }

    @Override
    public synchronized void update(File artifact) throws Exception {
        apply(artifact);
    }

    @Override
    public synchronized void uninstall(File artifact) throws Exception {
        rejected.remove(shown(artifact));
        waitingFor.remove(artifact);
        undescribed.remove(artifact);
        applied.forget(artifact.toPath());
        if (JsonServiceFiles.handles(artifact)) {
            jsonFiles.remove(artifact);
        } else if (configs.existsFor(artifact)) {
            // A file that was never applied has no configuration to delete; asking FileInstall anyway
            // would make it create an empty one just to delete it.
            applied.removedWithItsConfiguration(artifact.toPath());
            delegate(artifact).uninstall(artifact);
        }
        applyWaitingFor(artifact);
    }

    /** The files refused because {@code gone} configured their configuration: their turn now. */
    private void applyWaitingFor(File gone) {
        Path path = gone.toPath().toAbsolutePath().normalize();
        waitingFor.forEach((file, inTheWay) -> {
            if (inTheWay.equals(path) && waitingFor.remove(file, inTheWay) && file.isFile()) {
                log.info("{}: applied now that {} is gone", shown(file), shown(gone));
                try {
                    apply(file);
                } catch (Exception e) {
                    log.error("{}: not applied: {}", shown(file), e.toString());
                }
            }
        });
    }

    @Override
    public List<ConfigProblem> rejected() {
        return rejected.problems();
    }

    @Override
    public List<ConfigProblem> check(String pid, Map<String, ?> properties) {
        return gateSwitch.enabled() ? check.checkValues(pid, properties) : List.of();
    }

    @Override
    public Set<String> passwords(String pid) {
        // known with the gate disabled too: a password is hidden whether or not its file is checked
        return SecretKeys.passwords(descriptions.apply(Pids.base(pid)).map(Description::ocd).orElse(null));
    }

    private void apply(File artifact) throws Exception {
        if (JsonServiceFiles.handles(artifact)) {
            applyJson(artifact);
            return;
        }
        ConfigFileName name = ConfigFileName.of(artifact.getName()).orElseThrow();
        String shown = shown(artifact);
        waitingFor.remove(artifact);
        undescribed.remove(artifact);
        if (!gateSwitch.enabled()) {
            forward(artifact, name, null);
            applied.forget(artifact.toPath()); // applied as FileInstall reads it, not read here
            rejected.remove(shown);
            return;
        }
        Verdict verdict = check.check(artifact.toPath(), shown, name);
        switch (verdict.kind()) {
            case REJECT -> {
                rejected.put(shown, artifact, verdict.problems());
                Optional<Map<String, Object>> inForce = configs.valuesFrom(artifact);
                // Nothing applied from the file since this bundle started (the container started
                // with the edit in it): the configuration in force says what the file said when
                // last applied, before, so that the write-back leaves the edit alone too.
                inForce.ifPresent(values -> applied.appliedBefore(artifact.toPath(), values));
                String outcome = !artifact.exists() ? "its configuration goes once FileInstall sees the file gone"
                        : inForce.isPresent() ? "the previous configuration stays in force"
                        : "nothing from this file is applied until it is fixed";
                verdict.problems().forEach(p -> log.error("{}; {}", p, outcome));
            }
            case APPLY_UNDESCRIBED -> {
                // a file name one letter off a described PID (msf.lgo.cfg) is the likelier case: say which
                String meant = KeySuggestion.of(name.pid(), descriptions.describedPids())
                        .map(pid -> " did you mean " + pid + "?").orElse("");
                log.info("{}: no installed bundle describes {}: applied unchecked, and checked once a bundle that"
                        + " describes it is installed (a service's, say; if none is, is the file name right?{})", shown,
                        name.pid(), meant);
                undescribed.add(artifact, name);
                acceptAlone(artifact, name, verdict, shown);
            }
            case APPLY -> {
                warnOfReadablePasswords(artifact, name, verdict, shown);
                acceptAlone(artifact, name, verdict, shown);
            }
        }
    }

    private void warnOfReadablePasswords(File artifact, ConfigFileName name, Verdict verdict, String shown) {
        Map<String, Object> values = verdict.config().values();
        ReadableSecrets.warning(artifact.toPath(), shown, values,
                SecretKeys.of(name.configurationPid(), values, descriptions))
                .ifPresent(warning -> log.warn("{}: {}", shown, warning));
    }

    /**
     * Accepts the file unless another file configures its configuration: FileInstall would let each
     * replace what the other applied, the one read last in force (at each start, by the order of
     * their names). It waits until that file is deleted, the configuration from it staying in force.
     */
    private void acceptAlone(File artifact, ConfigFileName name, Verdict verdict, String shown) throws Exception {
        Optional<Path> other = configs.otherFileOf(name.configurationPid(), artifact);
        if (other.isEmpty()) {
            accept(artifact, name, verdict, shown);
            return;
        }
        String otherShown = shownFiles.of(other.get());
        ConfigProblem problem = new ConfigProblem(shown, name.configurationPid(), "", 0, name.configurationPid()
                + " is configured by " + otherShown + " already: keep one of the two files", Instant.now());
        rejected.put(shown, artifact, List.of(problem));
        waitingFor.put(artifact, other.get().toAbsolutePath().normalize());
        log.error("{}; the configuration from {} stays in force, and this file is applied once that one is deleted",
                problem, otherShown);
    }

    /**
     * Checks the files applied unchecked whose PID a bundle describes now: a refusal is listed and
     * logged as ever, though what the file said is in force already (Config Admin has it); the file,
     * fixed, is applied as any edit.
     */
    private synchronized void checkNowDescribed() {
        undescribed.describedNow(descriptions).forEach((file, name) -> {
            if (rechecks.stopped() || !file.isFile()) {
                return;
            }
            String shown = shown(file);
            Verdict verdict = check.check(file.toPath(), shown, name);
            if (verdict.kind() == Verdict.Kind.REJECT) {
                rejected.put(shown, file, verdict.problems());
                verdict.problems().forEach(p -> log.error("{}; it was applied unchecked before a bundle described {},"
                        + " and is in force as it is: fix the file", p, name.pid()));
            }
        });
    }

    /**
     * Checks the refused files again: a bundle resolved or uninstalled may change the description
     * that refused them (a service's bundle updated to a version with the key a file has, or the bundle
     * of the PID a service's {@code param.*} keys are for). A file a description takes now is applied
     * without waiting for an edit; one no bundle describes any more stays refused, the configuration in
     * force with it (taken for valid for want of a description, the values refused would reach Config
     * Admin unchecked), until a description takes it; one refused for the same reasons is not told again;
     * one refused because another file configures its configuration waits for that file instead.
     */
    private synchronized void checkRejectedAgain() {
        if (!gateSwitch.enabled()) {
            return;
        }
        for (File file : rejected.files()) {
            if (rechecks.stopped()) {
                return; // a pass the stop did not wait for hands nothing on: FileInstall's calls go elsewhere now
            }
            String shown = shown(file);
            if (waitingFor.containsKey(file) || !file.isFile()) {
                continue;
            }
            Optional<List<ConfigProblem>> problems = problemsIfDescribed(file, shown);
            if (problems.isEmpty() || rejected.refusedFor(shown, problems.get())) {
                continue;
            }
            try {
                apply(file);
            } catch (Exception e) {
                log.error("{}: not applied: {}", shown, e.toString());
            }
        }
    }

    /**
     * The file's problems now, checked once; none known (empty) while what refused it is described by no
     * installed bundle: its own PID (for a .json file, the services' PID), or, for a service file refused
     * for its {@code param.*} keys, the PID they go to. Checked then, it would pass for want of a
     * description, not for being right.
     */
    private Optional<List<ConfigProblem>> problemsIfDescribed(File file, String shown) {
        if (JsonServiceFiles.handles(file)) {
            return descriptions.apply(ServiceParams.SERVICE_FACTORY_PID).isEmpty() ? Optional.empty()
                    : Optional.of(jsonFiles.check(file.toPath(), shown).refusal(true));
        }
        Optional<ConfigFileName> name = ConfigFileName.of(file.getName());
        if (name.isEmpty() || descriptions.apply(name.get().pid()).isEmpty()) {
            return Optional.empty();
        }
        Verdict verdict = check.check(file.toPath(), shown, name.get());
        return paramsUndescribed(name.get(), shown, verdict.config()) ? Optional.empty()
                : Optional.of(verdict.problems());
    }

    /** Whether a service file refused for its {@code param.*} keys names a PID no installed bundle describes. */
    private boolean paramsUndescribed(ConfigFileName name, String shown, ParsedConfig config) {
        if (config == null // unreadable now: refused for that
                || !ServiceParams.SERVICE_FACTORY_PID.equals(name.pid())
                || !rejected.refusedForKeysOf(shown, ServiceParams.PREFIX)) {
            return false;
        }
        String target = ServiceParams.targetPid(name.name(), config.values().get("pid"));
        return descriptions.apply(Pids.base(target)).isEmpty();
    }

    /** FileInstall has no reader for JSON: a valid file's services go to Config Admin from here. */
    private void applyJson(File artifact) throws Exception {
        String shown = shown(artifact);
        waitingFor.remove(artifact);
        JsonServiceFiles.Check verdict = jsonFiles.check(artifact.toPath(), shown);
        List<ConfigProblem> problems = verdict.refusal(gateSwitch.enabled());
        if (!problems.isEmpty()) {
            rejected.put(shown, artifact, problems);
            verdict.otherFile().ifPresent(other -> waitingFor.put(artifact, other.toAbsolutePath().normalize()));
            String outcome = jsonFiles.existsFor(artifact) ? "the previous configuration stays in force"
                    : "nothing from this file is applied until it is fixed";
            problems.forEach(p -> log.error("{}; {}", p, outcome));
            return;
        }
        jsonFiles.apply(artifact, verdict.entries());
        log.info("{}: applied services {}", shown, verdict.entries().stream().map(JsonConfigs.Entry::name).toList());
        if (rejected.remove(shown)) {
            log.info("{}: valid now, applied", shown);
        }
    }

    private void accept(File artifact, ConfigFileName name, Verdict verdict, String shown) throws Exception {
        AtomicBoolean handedOn = new AtomicBoolean();
        // recorded first: Config Admin's event of the configuration made may reach the write-back
        // before forward returns, which would take it for a change made through Config Admin
        applied.whileHeld(() -> {
            // FileInstall reads the file again as it applies it: a version written during the check
            // would reach Config Admin unchecked, while this gate said it applied the one it checked.
            // FileInstall noted the file's state at its scan, before the check, so its next scans hand
            // the new version over. (Read just before FileInstall reads it, on this thread: a write in
            // between is not seen.)
            if (!verdict.stillIn(artifact.toPath())) {
                log.info("{}: changed while it was checked, so not applied: the version written since is checked"
                        + " when FileInstall hands it over (its next scans)", shown);
                return;
            }
            handedOn.set(true);
            Map<String, ?> before = applied.lastApplied(artifact.toPath());
            applied.applied(artifact.toPath(), verdict.config().values());
            try {
                forward(artifact, name, verdict.config());
            } catch (Exception | Error e) {
                if (before == null) {
                    applied.forget(artifact.toPath());
                } else {
                    applied.applied(artifact.toPath(), before);
                }
                throw e;
            }
        });
        if (handedOn.get() && rejected.remove(shown)) {
            log.info("{}: valid now, applied", shown);
        }
    }

    /**
     * Hands the file to FileInstall, except the first version of a {@code factory~name} file, whose
     * configuration is created here: FileInstall finds it by file name from then on.
     *
     * <p>FileInstall's installer is looked up here, once the file is found valid: a file refused while it
     * is not registered is refused for what is wrong with it, listed and logged as ever, rather than failed
     * for the installer's absence (fixed, it fails so then).
     *
     * @param config the file's content if already read, or null
     */
    private void forward(File artifact, ConfigFileName name, ParsedConfig config) throws Exception {
        ArtifactInstaller delegate = delegate(artifact);
        if (name.tilde() && !configs.existsFor(artifact)) {
            log.info("{}: creating factory configuration {}", shown(artifact), name.configurationPid());
            // read here with the gate disabled: FileInstall logs a failure, which must name no password's characters
            configs.create(artifact, name, config != null ? config : check.read(artifact.toPath(), name));
        } else {
            delegate.update(artifact); // ConfigInstaller's install and update do the same: create or update
        }
    }

    private ArtifactInstaller delegate(File artifact) {
        ArtifactInstaller delegate = fileInstallConfigs.get();
        if (delegate == null) {
            throw new IllegalStateException(shown(artifact) + " is not applied: FileInstall's configuration"
                    + " installer is not registered (Config Admin not running?)");
        }
        return delegate;
    }

    /** The file as operators know it ({@link ShownFiles}). */
    private String shown(File artifact) {
        return shownFiles.of(artifact.toPath());
    }
}
