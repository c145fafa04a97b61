package io.msf.deploy.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;

/**
 * What reconciliation asks of the framework and of Config Admin; {@link Versions} and
 * {@link ParamConfigs} in the container, fakes in the tests of the reconciliation logic.
 */
interface VersionControl {

    /**
     * Installs, starts (held) and checks a version beside {@code replacing} (the running version, or
     * none); removes what it installed and throws if it fails. A bundle whose start has not returned
     * within {@code healthTimeoutMillis} fails it too: what it installed is then removed once that start
     * returns, on the start's own thread, since Felix makes an uninstall wait for it.
     *
     * @param beforeStart given the installed bundles before any of them starts
     */
    List<Bundle> bringUp(ServiceSpec spec, long generation, List<Bundle> replacing, BeforeStart beforeStart,
            Consumer<String> progress) throws DeployException, InterruptedException;

    /**
     * Changes the parameters of a running version live ({@code write}, which says whether it changed
     * anything) and waits, as for a new version and as long ({@code healthTimeoutMillis}), until its
     * components have taken them and are up: none failed to activate again, none whose modified
     * method threw, none left waiting for a reference; none of those that read the PID the change
     * leaves, and were up, down without it; and until its health checks pass, if they passed before
     * the change.
     *
     * @param spec the parameters written and the PID they go to
     * @param had the parameters the version had
     * @param left the PID the version read before a change of {@code pid}, whose components are to stay
     *     up without it; null if none is held to that
     * @return what {@code write} returned; when it changed nothing, nothing is waited for
     * @throws IOException if {@code write} failed; nothing is waited for
     * @throws DeployException if the version did not take the parameters, with the reason; they stay written
     */
    boolean reconfigure(ServiceSpec spec, Map<String, Object> had, String left, List<Bundle> bundles, Write write,
            Consumer<String> progress) throws IOException, DeployException, InterruptedException;

    /**
     * Lets new requests reach these bundles; nothing once the container stops ({@link #containerStopping}).
     *
     * @return false if the container's stop refused it: the bundles stay held
     */
    boolean release(List<Bundle> bundles);

    /**
     * Whether the container has begun to stop (its drain, {@link StopDrain}, holds every service): no
     * version is released and no new step begins, and what fails then is the stop's doing, not the version's.
     */
    default boolean containerStopping() {
        return false;
    }

    /** Stops new requests reaching these bundles; those they have already go on to be answered. */
    void hold(List<Bundle> bundles);

    int inFlight(List<Bundle> bundles);

    /** Waits until the bundles have answered what they have, at most {@code limit}; returns what is left. */
    int drain(List<Bundle> bundles, Duration limit) throws InterruptedException;

    /**
     * Stops, uninstalls and refreshes the bundles; a bundle whose stop does not return within a limit
     * is uninstalled, and the bundles refreshed, once it does, on the stop's own thread.
     */
    void remove(List<Bundle> bundles) throws InterruptedException;

    void setStartLevel(List<Bundle> bundles, int startLevel);

    /**
     * Whether the bundle was stopped by hand ({@code stop <id>} in the console, another tool): it does
     * not run and its autostart setting says stopped. The framework stopping, a lower start level or a
     * refresh stop a bundle for the time being only, and leave that setting as it was.
     */
    boolean stoppedByHand(Bundle bundle);

    /**
     * Whether the bundle runs (ACTIVE). One started by hand whose activator threw is left RESOLVED
     * with its autostart setting on: not stopped by hand, and not running either.
     */
    boolean active(Bundle bundle);

    /**
     * Whether the bundle is being started (STARTING): started by hand, its activator has not returned
     * yet. The start ends ACTIVE, or RESOLVED if the activator throws, with a bundle event either way.
     */
    boolean starting(Bundle bundle);

    /**
     * Whether the bundle waits in STARTING for its lazy activation: started by hand with its
     * {@code Bundle-ActivationPolicy: lazy} used, its activator runs only at the first load of a class
     * from it, which may never come. No bundle event ends that wait until then; LAZY_ACTIVATION began it.
     */
    boolean awaitingLazyActivation(Bundle bundle);

    /**
     * Whether a start (not a wait for lazy activation) or a stop of the bundle has not returned: its
     * activator, or its components' activation or deactivation, still runs, and holds the bundle's lock.
     */
    boolean notReturned(Bundle bundle);

    /**
     * Starts a running version's bundles again after a stop by hand and waits, as for a new version,
     * until they are up and healthy; stops them again and throws with the reason if they are not.
     */
    void startAgain(ServiceSpec spec, List<Bundle> bundles, Consumer<String> progress)
            throws DeployException, InterruptedException;

    /**
     * Starts the bundles of a running version that a refresh left unresolved (see {@link RunningBundles#unresolved})
     * if they resolve now, the package they lost exported again; returns whether they resolve. A start that
     * fails or does not return within the spec's healthTimeoutMillis throws with the reason.
     */
    boolean startIfResolved(ServiceSpec spec, List<Bundle> unresolved) throws DeployException, InterruptedException;

    /** The bundle's start level now. */
    int startLevel(Bundle bundle);

    /** What is done with a version's bundles once installed, before they start; its failure fails the version. */
    @FunctionalInterface
    interface BeforeStart {

        void accept(List<Bundle> installed) throws DeployException;
    }

    /** Writes a version's parameters; true if that changed anything. */
    @FunctionalInterface
    interface Write {

        boolean write() throws IOException;
    }

    /**
     * Where a service's parameters go: a configuration for each bundle of each version, so that two
     * versions running side by side each read their own.
     */
    interface Params {

        /**
         * Gives these bundles (one version of the service) the spec's parameters, under the spec's PID
         * only; true if that changed anything.
         *
         * @throws PartlyWritten if it failed after some of the bundles were changed
         */
        boolean apply(ServiceSpec spec, List<Bundle> bundles) throws IOException;

        /** Deletes what {@link #apply} wrote for these bundles: a version that is gone or never came up. */
        void discard(List<Bundle> bundles) throws IOException;

        /** Deletes everything {@link #apply} wrote for the service except for these bundles, the version that runs. */
        void keepOnly(String service, List<Bundle> bundles) throws IOException;

        /**
         * Deletes what {@link #apply} wrote for bundles that are not installed, of any service: what a
         * deployer before this one left (a swap or an undeploy it did not finish, bundles gone with the
         * framework's cache).
         */
        void keepOnlyInstalled(List<Bundle> installed) throws IOException;

        /** Deletes everything {@link #apply} wrote for services other than these. */
        void keepOnlyServices(Set<String> services) throws IOException;

        /**
         * What the bundle reads now: the PID and parameters of its own configuration, preferably the one
         * under {@code pid}; empty if it has none (it runs with no parameters).
         */
        Optional<Given> given(String service, String pid, Bundle bundle) throws IOException;
    }

    /** A write of parameters that failed after some bundles of the version had been changed. */
    final class PartlyWritten extends IOException {

        private static final long serialVersionUID = 1L;

        private final transient List<Bundle> written;

        PartlyWritten(String message, List<Bundle> written, Throwable cause) {
            super(message, cause);
            this.written = List.copyOf(written);
        }

        /** The bundles whose configurations were changed before the failure. */
        List<Bundle> written() {
            return written;
        }
    }

    /** Parameters as a bundle has them: the PID they are under, and their values. */
    record Given(String pid, Map<String, Object> params) {

        public Given {
            params = Map.copyOf(params);
        }

        /** The parameters by value ({@link ParamValues}): a record compares arrays by identity. */
        @Override
        public boolean equals(Object other) {
            return other instanceof Given given && pid.equals(given.pid) && ParamValues.same(params, given.params);
        }

        @Override
        public int hashCode() {
            return pid.hashCode() * 31 + ParamValues.hash(params);
        }
    }
}
