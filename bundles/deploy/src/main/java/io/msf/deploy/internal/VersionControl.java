package io.msf.deploy.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;

/**
 * What reconciliation asks of the framework and of Config Admin; {@link Versions} and
 * {@link ParamConfigs} in the container, fakes in the tests of the reconciliation logic.
 */
interface VersionControl {

    /**
     * Installs, starts (held) and checks a version beside {@code replacing} (the running version, or
     * none); removes what it installed and throws if it fails.
     */
    List<Bundle> bringUp(ServiceSpec spec, long generation, List<Bundle> replacing, Consumer<String> progress)
            throws DeployException, InterruptedException;

    /** Lets new requests reach these bundles. */
    void release(List<Bundle> bundles);

    int inFlight(List<Bundle> bundles);

    /** Waits until the bundles have answered what they have, at most {@code limit}; returns what is left. */
    int drain(List<Bundle> bundles, Duration limit) throws InterruptedException;

    /** Stops, uninstalls and refreshes the bundles. */
    void remove(List<Bundle> bundles) throws InterruptedException;

    void setStartLevel(List<Bundle> bundles, int startLevel);

    /** Where a service's parameters go. */
    interface Params {

        /** Writes the spec's parameters to its PID; true if that changed anything. */
        boolean apply(ServiceSpec spec) throws IOException;

        /** Deletes what {@link #apply} wrote for the service. */
        void remove(ServiceSpec spec) throws IOException;
    }
}
