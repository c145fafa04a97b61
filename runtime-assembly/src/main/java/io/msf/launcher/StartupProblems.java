package io.msf.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Collects why bundles failed to start (the framework reports each failure as an ERROR event,
 * with the resolver's "missing requirement" text in the exception) so the launcher can print one
 * clear list of bundles that are not active and why, instead of leaving the operator to guess
 * from a service that never appeared.
 */
final class StartupProblems implements FrameworkListener {

    /** Felix repeats the missing requirements after this marker; once is enough. */
    private static final String REPEATED_REQUIREMENTS = " Unresolved requirements:";

    private final Map<Long, String> lastErrorByBundle = new ConcurrentHashMap<>();
    private final String homeLocation;

    /** @param home the assembly folder, left out of bundle locations to keep the lines short */
    StartupProblems(Path home) {
        this.homeLocation = "reference:" + home.toUri();
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null && event.getThrowable() != null) {
            lastErrorByBundle.put(event.getBundle().getBundleId(), describe(event.getThrowable()));
        }
    }

    /**
     * Lists the bundles of {@code launched} that should be active at {@code frameworkStartLevel} but
     * are not, one line each: name, version, state, location and the last error the framework
     * reported for it. Only the launcher's own bundles: those the deployer installs at level 5 come
     * up while the ready line waits for the core services, not before it, so one still on its way
     * (installed and started, not yet resolved) was listed as a failure ("no error reported") on a
     * good start; the deployer reports its own (msf:list, the log).
     */
    List<String> inactiveBundles(List<Bundle> launched, int frameworkStartLevel) {
        List<String> lines = new ArrayList<>();
        for (Bundle bundle : launched) {
            if (bundle.getState() == Bundle.UNINSTALLED || BundleInstaller.isFragment(bundle)
                    || bundle.getState() == Bundle.ACTIVE) {
                continue;
            }
            BundleStartLevel startLevel = bundle.adapt(BundleStartLevel.class);
            if (startLevel.getStartLevel() > frameworkStartLevel || !startLevel.isPersistentlyStarted()) {
                continue;
            }
            String reason = lastErrorByBundle.getOrDefault(bundle.getBundleId(), "no error reported");
            String location = bundle.getLocation().replace(homeLocation, "");
            lines.add(bundle.getSymbolicName() + " " + bundle.getVersion() + " (" + location + ") is "
                    + stateName(bundle.getState()) + ": " + reason);
        }
        return lines;
    }

    /**
     * The message of the exception and of each cause, which is where the resolver explains itself.
     * Each cause once: a chain that comes back to an earlier cause (a bundle's exceptions made each
     * other's cause) looped here for ever, filling the heap until the JVM exited, on the thread that
     * delivers the framework's events.
     */
    static String describe(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        int repeated = message.indexOf(REPEATED_REQUIREMENTS);
        StringBuilder text = new StringBuilder(repeated < 0 ? message : message.substring(0, repeated));
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(failure);
        for (Throwable cause = failure.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
            text.append(" <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.RESOLVED -> "RESOLVED (not started)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "in state " + state;
        };
    }
}
