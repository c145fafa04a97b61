package io.msf.deploy.internal;

import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;

/**
 * What runs of one service, as the deployer made it. Changed only on the deployer's own thread;
 * read elsewhere through {@link #snapshot}.
 */
final class Deployment {

    final String name;
    /** The running version's bundles, empty if none runs. */
    volatile List<Bundle> bundles = List.of();
    /**
     * The version a swap is draining, empty if none: the container stopping meanwhile drains it too
     * ({@link StopDrain}), or the framework would stop it with the requests it still has.
     */
    volatile List<Bundle> draining = List.of();
    /** What the running bundles and parameters were made from, null if none runs. */
    volatile ServiceSpec running;
    /** What the last change tried, null before the first. */
    volatile ServiceSpec attempted;
    /** What ran before the last successful swap: the target of a rollback. */
    volatile ServiceSpec previous;
    volatile String previousVersion = "";
    volatile Phase phase = Phase.INSTALLING;
    volatile Instant since;
    volatile String problem = "";
    volatile String health = "";
    /**
     * The jar of the deploy folder the service comes from, as messages name it ({@code deploy/x.jar});
     * empty for a configured service. What is installed is a checked copy in {@code data/deploy/},
     * a name the operator never gave: a failure names the jar dropped too.
     */
    volatile String droppedJar = "";
    /** What the deployer is doing with the service now, empty when idle. */
    volatile String activity = "";
    /** Config Admin change count of the configuration last carried out, -1 for other sources. */
    volatile long appliedChangeCount = -1;
    /**
     * The watched jars ({@link JarStamps}) of the version last tried, as they were before it was
     * installed: if it failed, a change of one of them tries it again.
     */
    volatile Map<Path, JarStamps.Stamp> triedJars = Map.of();
    /** Those jars at the last look since the version was tried, null before the first. */
    volatile Map<Path, JarStamps.Stamp> lastLook;
    /**
     * What the service's source asked when a bundle of the running version was found stopped by hand,
     * null while none is: it is started again once the source changes.
     */
    volatile Desired stoppedWith;
    /** The problem shown before the bundle was stopped by hand, shown again once it runs again. */
    volatile String problemBeforeStop = "";

    Deployment(String name, Instant now) {
        this.name = name;
        this.since = now;
    }

    void enter(Phase newPhase, Instant now) {
        if (phase != newPhase) {
            phase = newPhase;
            since = now;
        }
    }

    /**
     * A bundle of the running version was started at {@code at}, not by a step of the deployer's for
     * this service: a refresh after a swap of a service it is wired to (upnp when dlna is swapped)
     * stops and starts it. It left ACTIVE and came back, so SINCE, when the service entered its
     * phase, is then. (Started by the deployer, the service is not ACTIVE yet, or its start came
     * moments after {@link #enter}: either way SINCE stays about the same.)
     */
    void restarted(Instant at) {
        if (phase == Phase.ACTIVE && at.isAfter(since)) {
            since = at;
        }
    }

    /**
     * Whether its running version is left to run as it is: nothing under way for it, and none of its
     * bundles stopped by hand. Only then is how it runs judged (its health, a bundle that should run).
     */
    boolean leftToRun() {
        return activity.isEmpty() && stoppedWith == null;
    }

    String version() {
        List<Bundle> current = bundles;
        return current.isEmpty() ? "" : current.get(0).getVersion().toString();
    }

    /** Where the deployer is with the service, shown as its activity while a change goes on. */
    Consumer<String> progress() {
        return what -> activity = what;
    }

    /** What serves of the service, said after a failure. */
    String serving() {
        return bundles.isEmpty() ? "nothing of it runs" : "version " + version() + " keeps serving";
    }

    ServiceState snapshot(int inFlight) {
        List<Bundle> current = bundles;
        ServiceSpec spec = running;
        return new ServiceState(name, version(), phase, health, since, inFlight,
                current.stream().map(Bundle::getBundleId).toList(), spec == null ? List.of() : spec.locations(),
                previousVersion, problem, activity);
    }
}
