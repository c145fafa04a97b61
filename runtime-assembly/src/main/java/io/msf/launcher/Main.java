package io.msf.launcher;

import io.msf.launcher.StartLevelLayout.BundleFile;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.ServiceLoader;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The msf launcher: embeds the OSGi framework found through {@link FrameworkFactory}, installs
 * the bundles of {@code bundle/<level>/}, starts them, and prints {@code msf ready in N ms (K bundles)}
 * once the framework reached its start level and every service of {@code msf.ready.services} is
 * registered. Only then does it start the Gogo console of {@code bundle/console/}
 * ({@link ConsoleBundles}). It then runs until the framework stops (Ctrl-D in the console, Gogo
 * {@code stop 0}, SIGTERM, SIGINT) and exits 0 after a clean stop.
 *
 * <p>Usage: {@code java -Dmsf.home=DIR [-Dmsf.data=DIR] [-Dkey=value...] -cp lib/* io.msf.launcher.Main}.
 * Without {@code msf.home} the folder above the launcher jar's {@code lib/} is used.
 *
 * <p>Child mode, as a parent's supervisor starts a child container: {@code -Dmsf.data} (its own
 * data folder), {@code -Dfelix.fileinstall.dir} (its own etc/), {@code -Dmsf.parent.pid} (stop
 * when that process ends: {@link ParentWatch}), {@code -Dmsf.status.file} (readiness and heap for
 * the parent: {@link StatusFile}), {@code -Dmsf.agent.parent} (the parent's agent socket,
 * handed to the bundles as a system property), {@code -Dmsf.profile}, {@code -Dmsf.cache.keep}
 * ({@link BundleProfile}, {@link KeptCache}), {@code -Dmsf.cds.dump} ({@link ClassDataDump}) and
 * {@code -Dmsf.spare} (a warm spare that waits for its parent's promotion: {@link WarmSpare}).
 */
public final class Main {

    private static final PrintStream OUT = System.out;
    private static final PrintStream ERR = System.err;

    private Main() {
    }

    public static void main(String[] args) {
        // before anything else: the lookup then overlaps the whole start
        JvmStartTime jvmStart = JvmStartTime.lookUpInBackground();
        // next, so that a stop request during startup is a clean stop too (not exit code 143)
        StopControl stopControl = new StopControl(ERR);
        // a System.exit of a bundle's ends the JVM once the hook returns: it waits for this to clean up after the stop
        CountDownLatch launcherEnded = new CountDownLatch(1);
        ShutdownSignals.install(stopControl::requestStop, launcherEnded, ERR);
        int code = 1;
        try {
            code = launchUnlessRefused(stopControl, jvmStart);
        } finally {
            launcherEnded.countDown();
        }
        System.exit(code);
    }

    private static int launchUnlessRefused(StopControl stopControl, JvmStartTime jvmStart) {
        Optional<WarmSpare> spare;
        try {
            spare = WarmSpare.requested(System.getProperties());
        } catch (IllegalArgumentException e) {
            ERR.println("msf: cannot start: " + e.getMessage());
            return 1;
        }
        // child mode: a container started by a parent's supervisor ends with its parent
        if (!ParentWatch.install(System.getProperty(ParentWatch.PARENT_PID), System.in, stopControl::requestStop,
                spare.isPresent() ? spare.get()::line : line -> { }, ERR)) {
            return 1;
        }
        return launch(stopControl, jvmStart, spare);
    }

    static int launch(StopControl stopControl, JvmStartTime jvmStart, Optional<WarmSpare> spare) {
        try {
            Path home = home();
            Path data = Path.of(System.getProperty(LauncherConfig.DATA, home.resolve("data").toString()));
            LauncherConfig loaded = LauncherConfig.load(home, data, System.getProperties());
            boolean consoleLocal = loaded.consoleLocal();
            DataDirectory.prepare(loaded.data());
            stopControl.recordForcedStopIn(loaded.data().resolve("msf.stop.forced"));
            if (spare.isPresent()) {
                WarmSpare.removeEndedCaches(loaded.data(), ERR);
            }
            LauncherConfig config = spare.isPresent() ? spare.get().standIn(loaded, ERR) : loaded;
            BundleProfile profile = BundleProfile.of(config);
            List<BundleFile> plan = profile.plan(StartLevelLayout.read(config.bundleDir()));
            List<Path> consoleJars = profile.console(StartLevelLayout.consoleBundles(config.bundleDir()));
            Console console = new Console(consoleJars, consoleLocal);
            if (spare.isPresent()) {
                // its cache is its own, and the pid file is the running child's until the promotion
                KeptCache none = KeptCache.decide(config, plan, consoleJars, ERR);
                return run(config, spare.get().defer(plan, config), none, console, stopControl, jvmStart,
                        spare);
            }
            return asTheFoldersContainer(config, stopControl, () -> {
                // after the pid file: only the one launcher of this data folder may judge and use its cache
                KeptCache cache = KeptCache.decide(config, plan, consoleJars, ERR);
                return run(config, plan, cache, console, stopControl, jvmStart, spare);
            });
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            ERR.println("msf: cannot start: " + e.getMessage());
            return 1;
        } catch (BundleException e) {
            ERR.println("msf: the framework failed: " + StartupProblems.describe(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int run(LauncherConfig config, List<BundleFile> plan, KeptCache cache, Console console,
            StopControl stopControl, JvmStartTime jvmStart, Optional<WarmSpare> spare)
            throws BundleException, InterruptedException, IOException {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (lib/)"));
        // The framework's threads inherit this thread's context class loader. The class path
        // (Felix and this launcher) is of no use to bundles and misleads libraries that look
        // resources up there first: JLine then finds no terminal provider and falls back to a
        // dumb console. With none set, such libraries use their own bundle's class loader.
        Thread.currentThread().setContextClassLoader(null);
        ConsoleBundles.useHeadlessTerminal(System.getProperties(), console.local());
        Framework framework = factory.newFramework(
                cache.frameworkProperties(ConsoleBundles.frameworkProperties(config.properties(), console.local())));
        framework.init();
        cache.dropUnplanned(framework.getBundleContext(), plan, ERR);
        BundleContext context = framework.getBundleContext();
        StartupProblems problems = new StartupProblems(config.home());
        context.addFrameworkListener(problems);
        List<Bundle> launched = new BundleInstaller(context, ERR).install(plan);
        ConsoleBundles consoleBundles = new ConsoleBundles(context, console.jars(), plan.get(plan.size() - 1).level(),
                console.local(), OUT, ERR);
        if (spare.isPresent()) {
            return runSpare(config, framework, launched, cache, consoleBundles, stopControl, spare.get(), problems);
        }
        BackgroundInit.install(context, config.properties(), ERR);
        ReadinessReport report = readinessReport(config, context, launched, problems, jvmStart);
        if (!startReporting(framework, new ReportThenConsole(report, cache, consoleBundles), stopControl,
                config.stopTimeout())) {
            return 0;
        }
        return runStarted(framework, cache, stopControl);
    }

    /**
     * Starts {@code report} on a thread of its own, then the framework. In that order: framework.start() returns
     * once the climb to the beginning level is over, so a report started after it waited as long as a bundle's
     * start hung, its msf.ready.timeout never counted, and no NOT READY named that bundle.
     *
     * @return false if a stop was requested first: the framework, only initialised, was stopped (its cache released)
     */
    static boolean startReporting(Framework framework, Runnable report, StopControl stopControl, Duration stopTimeout)
            throws BundleException, InterruptedException {
        onItsOwnThread(report);
        if (!stopControl.start(framework, stopTimeout)) {
            stopControl.stopUnstarted(framework, stopTimeout);
            return false;
        }
        return true;
    }

    /**
     * A warm spare: started up to its spare level, it waits for its parent's promotion, then takes
     * the data folder over and climbs to the container's beginning level.
     */
    private static int runSpare(LauncherConfig config, Framework framework, List<Bundle> launched, KeptCache cache,
            ConsoleBundles consoleBundles, StopControl stopControl, WarmSpare spare, StartupProblems problems)
            throws BundleException, InterruptedException, IOException {
        try {
            return runSpareStarted(config, framework, launched, cache, consoleBundles, stopControl, spare, problems);
        } finally {
            // pid-named: no process but this one ever uses it
            WarmSpare.remove(WarmSpare.ownCache(config.data()), ERR);
        }
    }

    private static int runSpareStarted(LauncherConfig config, Framework framework, List<Bundle> launched,
            KeptCache cache, ConsoleBundles consoleBundles, StopControl stopControl, WarmSpare spare,
            StartupProblems problems)
            throws BundleException, InterruptedException, IOException {
        if (!stopControl.start(framework, config.stopTimeout())) {
            stopControl.stopUnstarted(framework, config.stopTimeout());
            return 0;
        }
        // the bundles above the spare level resolve now, not after the promotion
        framework.adapt(FrameworkWiring.class).resolveBundles(null);
        int initialised = spare.initialise(framework.getBundleContext(), config.properties(), ERR);
        OUT.println("msf: warm spare at start level " + spare.spareLevel() + " (" + initialised
                + " classes initialised), waiting for its promotion");
        OUT.flush();
        if (!spare.awaitPromotion(framework)) {
            return awaitStop(framework, stopControl);
        }
        return asTheFoldersContainer(config, stopControl, () -> {
            OUT.println("msf: warm spare promoted, starting the container's bundles");
            onItsOwnThread(new ReportThenConsole(readinessReport(config, framework.getBundleContext(), launched,
                    problems, JvmStartTime.at(spare.promotedAtMillis())), cache, consoleBundles));
            framework.adapt(FrameworkStartLevel.class).setStartLevel(spare.finalLevel());
            return runStarted(framework, cache, stopControl);
        });
    }

    /**
     * Runs {@code container} as the container of the data folder: with its pid file claimed, and the folder
     * watched ({@link DataFolderWatch}) until it returns; 1 if it stopped because the folder was lost.
     */
    private static int asTheFoldersContainer(LauncherConfig config, StopControl stopControl, ContainerRun container)
            throws BundleException, InterruptedException, IOException {
        PidFile pidFile = PidFile.claim(config.pidFile(), config.data());
        DataFolderWatch watch = DataFolderWatch.start(pidFile, stopControl::requestStop, ERR);
        try {
            int code = container.run();
            return watch.lost() ? 1 : code;
        } finally {
            watch.close();
            pidFile.release();
        }
    }

    /** The container's run, returning its exit code. */
    @FunctionalInterface
    private interface ContainerRun {
        int run() throws BundleException, InterruptedException, IOException;
    }

    private static ReadinessReport readinessReport(LauncherConfig config, BundleContext context,
            List<Bundle> launched, StartupProblems problems, JvmStartTime since) {
        ReadinessReport report = new ReadinessReport(context, launched,
                new ServiceReadiness(context, config.readyServices()), problems, config.readyTimeout(), since, OUT,
                ERR);
        context.addFrameworkListener(report);
        StatusFile.start(System.getProperty(StatusFile.STATUS_FILE), report::readyMillis);
        return report;
    }

    /** Runs {@code report} on a daemon thread of its own: a stop during the start is never held up by its wait. */
    private static void onItsOwnThread(Runnable report) {
        Thread reporter = new Thread(report, "msf-readiness");
        reporter.setDaemon(true);
        reporter.start();
    }

    private static int runStarted(Framework framework, KeptCache cache, StopControl stopControl)
            throws InterruptedException {
        try {
            return awaitStop(framework, stopControl);
        } finally {
            cache.close();
        }
    }

    private static int awaitStop(Framework framework, StopControl stopControl) throws InterruptedException {
        FrameworkEvent end = framework.waitForStop(0);
        if (end.getType() == FrameworkEvent.ERROR) {
            ERR.println("msf: the framework stopped on an error: " + StartupProblems.describe(end.getThrowable()));
            return 1;
        }
        if (!stopControl.requested()) {
            // a signal, bin/msf stop, the parent's end and System.exit each say so; this stop came from inside
            ERR.println("msf: the framework was stopped from inside the container: its system bundle (bundle 0) was "
                    + (end.getType() == FrameworkEvent.STOPPED_UPDATE ? "updated" : "stopped")
                    + " (Ctrl-D in the console of bin/msf run, stop 0 or update 0 at a console, or a bundle's code);"
                    + " exiting");
        }
        return 0;
    }

    /** What {@code bundle/console/} holds and how it runs ({@code msf.console.local}). */
    private record Console(List<Path> jars, boolean local) {
    }

    /**
     * Reports readiness, then starts the console: it is not needed for readiness, and the operator wants it even
     * when the container is NOT READY (once the framework has started).
     */
    private record ReportThenConsole(ReadinessReport report, KeptCache cache, ConsoleBundles console)
            implements Runnable {
        @Override
        public void run() {
            report.run();
            if (report.readyMillis() >= 0) {
                cache.ready(ERR); // only a cache that reached ready may be kept
            }
            if (!report.awaitStarted()) {
                return; // interrupted
            }
            console.start(); // not while the framework still climbs (a bundle's start hangs): it waits for ACTIVE
            if (report.readyMillis() >= 0) {
                ClassDataDump.afterReady(System.getProperty(ClassDataDump.DUMP), OUT, ERR);
            }
        }
    }

    private static Path home() {
        String configured = System.getProperty(LauncherConfig.HOME);
        if (configured != null) {
            return Path.of(configured);
        }
        CodeSource source = Main.class.getProtectionDomain().getCodeSource();
        try {
            // lib/msf-launcher.jar -> the assembly folder
            Path lib = source == null ? null : Path.of(source.getLocation().toURI()).getParent();
            if (lib != null && lib.getParent() != null) {
                return lib.getParent();
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // not a plain file location: fall through to the explicit error
        }
        throw new IllegalStateException("cannot tell the assembly folder; set -D" + LauncherConfig.HOME);
    }
}
