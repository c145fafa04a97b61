package io.msf.launcher;

import io.msf.launcher.StartLevelLayout.BundleFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The Gogo JLine console ({@code bundle/console/}: Gogo JLine and JLine), started only after the
 * readiness report instead of by start level.
 *
 * <p>Why: Gogo JLine's activator builds the JLine terminal synchronously while it is started, on
 * the framework's start-level thread (probing terminal providers, forking a process to test the
 * tty, reading terminfo): 0.3-0.9 s and ~100 classes that held back the framework's STARTED event
 * and with it the ready line, although no core service needs the console.
 *
 * <p>{@code msf.console.local} picks one of two ways to run it:
 * <ul>
 *   <li>{@code true} ({@code bin/msf run} on a terminal): the interactive console on the
 *       launcher's terminal; leaving it (Ctrl-D) stops the container.</li>
 *   <li>{@code false}: headless. The bundles still start, because their commands ({@code grep},
 *       {@code echo}, {@code each}, {@code if}, ...) and the profile's {@code context:} commands
 *       serve {@code bin/msf exec} and {@code bin/msf console}; {@code gosh.args} gets
 *       {@code --nointeractive} (the console never reads stdin) and JLine a dumb terminal without
 *       any probing. The line {@code msf console ready (K bundles)} then tells {@code bin/msf start}
 *       that the full command set is there.</li>
 * </ul>
 */
final class ConsoleBundles {

    static final String LOCAL = "msf.console.local";
    static final String READY_LINE = "msf console ready";
    static final String GOSH_ARGS = "gosh.args";
    static final String NON_INTERACTIVE = "--nointeractive";
    /** JLine system properties: take the dumb terminal directly, without trying a real one first. */
    static final Map<String, String> HEADLESS_TERMINAL = Map.of(
            "org.jline.terminal.provider", "dumb",
            "org.jline.terminal.dumb", "true");

    private final BundleContext context;
    private final Bundle framework;
    private final List<Path> jars;
    private final int startLevel;
    private final boolean local;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param jars       the jars of {@code bundle/console/}, in install order
     * @param startLevel the level they get (the last of the plan), which keeps their stop order:
     *                   the console goes before the bundles whose commands it offers
     * @param local      the value of {@code msf.console.local}
     */
    ConsoleBundles(BundleContext context, List<Path> jars, int startLevel, boolean local, PrintStream out,
            PrintStream err) {
        this.context = context;
        // the framework's own Bundle object: its state stays readable after the context is invalid
        this.framework = context.getBundle();
        this.jars = jars;
        this.startLevel = startLevel;
        this.local = local;
        this.out = out;
        this.err = err;
    }

    /**
     * The framework properties for this mode: headless adds {@code --nointeractive} to
     * {@code gosh.args} (read by Gogo JLine through the framework).
     */
    static Map<String, String> frameworkProperties(Map<String, String> properties, boolean local) {
        String goshArgs = properties.getOrDefault(GOSH_ARGS, "").trim();
        if (local || goshArgs.contains(NON_INTERACTIVE)) {
            return properties;
        }
        Map<String, String> headless = new TreeMap<>(properties);
        headless.put(GOSH_ARGS, goshArgs.isEmpty() ? NON_INTERACTIVE : NON_INTERACTIVE + " " + goshArgs);
        return headless;
    }

    /** Headless only: JLine reads these as system properties; values set by the user stay. */
    static void useHeadlessTerminal(Properties system, boolean local) {
        if (!local) {
            HEADLESS_TERMINAL.forEach(system::putIfAbsent);
        }
    }

    /**
     * Installs and starts the console bundles, unless the framework is stopping. A jar that
     * cannot be installed or started is reported on the error stream and skipped; headless, the
     * {@code msf console ready} line follows in any case, so {@code bin/msf start} never waits
     * in vain.
     */
    void start() {
        if (framework.getState() != Bundle.ACTIVE) {
            return;
        }
        List<BundleFile> plan = jars.stream().map(jar -> new BundleFile(startLevel, jar)).toList();
        int installed = new BundleInstaller(context, err).install(plan).size();
        if (!local) {
            out.println(READY_LINE + " (" + installed + " bundles)");
            out.flush();
        }
    }
}
