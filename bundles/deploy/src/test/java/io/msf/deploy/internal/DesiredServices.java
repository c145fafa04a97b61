package io.msf.deploy.internal;

import io.msf.deploy.api.ServiceState;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The services a test configures, as {@link DeploySources#desired} gives them to a pass, and the
 * passes the deployer makes over them: the test's deployer, which it replaces as a deployer starts
 * again over the records of the one before.
 */
final class DesiredServices {

    /** By service name; a test removes one (its configuration deleted) or puts one refused. */
    final Map<String, Desired> desired = new TreeMap<>();
    private long changeCount;
    private final Supplier<Reconciliation> deployer;

    /** @param deployer the test's deployer as it is at each pass */
    DesiredServices(Supplier<Reconciliation> deployer) {
        this.deployer = deployer;
    }

    /** A configuration made or written again: a change count of its own. */
    void configure(ServiceSpec spec) {
        desired.put(spec.name(), new Desired(spec, "", ++changeCount, "etc/msf.service~" + spec.name() + ".cfg"));
    }

    void pass() {
        deployer.get().run(() -> desired);
    }

    /** The service as the deployer lists it; null if it is not listed. */
    ServiceState state(String name) {
        return deployer.get().states().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }
}
