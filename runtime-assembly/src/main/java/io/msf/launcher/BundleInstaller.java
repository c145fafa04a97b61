package io.msf.launcher;

import io.msf.launcher.StartLevelLayout.BundleFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Installs the start-level plan into a framework that is initialised but not yet started (or,
 * for the console bundles, into the running one), the way Felix's own AutoProcessor does: each
 * bundle gets its start level and is marked to start, and the framework then starts them level
 * by level as it climbs to its beginning start level.
 *
 * <p>A jar that cannot be installed is reported (file and reason) and skipped: the rest of the
 * container still comes up and the readiness report says what is missing because of it.
 */
final class BundleInstaller {

    /** Felix reads a {@code reference:} location in place instead of copying the jar into its cache. */
    private static final String IN_PLACE = "reference:";

    private final BundleContext context;
    private final PrintStream problems;

    BundleInstaller(BundleContext context, PrintStream problems) {
        this.context = context;
        this.problems = problems;
    }

    /**
     * Installs {@code plan} in order.
     *
     * @return the bundles installed (fragments included), in plan order
     */
    List<Bundle> install(List<BundleFile> plan) {
        List<Bundle> installed = new ArrayList<>(plan.size());
        for (BundleFile entry : plan) {
            Bundle bundle;
            try {
                bundle = context.installBundle(location(entry.file()));
            } catch (BundleException | RuntimeException e) {
                problems.println("msf: cannot install " + entry.file() + ": " + StartupProblems.describe(e));
                continue;
            }
            bundle.adapt(BundleStartLevel.class).setStartLevel(entry.level());
            installed.add(bundle);
            if (!isFragment(bundle)) {
                markForStart(bundle, entry);
            }
        }
        return installed;
    }

    /** The location a jar is installed under: read in place, not copied into the cache. */
    static String location(Path jar) {
        return IN_PLACE + jar.toUri();
    }

    /**
     * Persistent start: the framework starts the bundle once its start level is reached, and
     * reports a failure then (as a framework ERROR event), not here. A bundle whose level is
     * reached already (the console bundles, installed after the ready line) starts right here,
     * and its failure is printed.
     */
    private void markForStart(Bundle bundle, BundleFile entry) {
        try {
            bundle.start();
        } catch (BundleException | RuntimeException e) {
            problems.println("msf: cannot start " + entry.file() + ": " + e.getMessage());
        }
    }

    /** Fragments (such as Netty's native epoll library) attach to a host and are never started. */
    static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }
}
