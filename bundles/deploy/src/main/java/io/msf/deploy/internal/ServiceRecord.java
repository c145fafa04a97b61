package io.msf.deploy.internal;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the deployer keeps of a service across a restart of the container ({@link ServiceRecords}):
 * the last state it brought up and saw serving, and the change that failed after it, if the service
 * is FAILED. A container started afresh installs the last good state instead of a configuration
 * that failed before, which would fail again and leave nothing of the service running.
 *
 * @param good what last ran well: locations, version, start level, PID and parameters (with its
 *     timeouts, which a new install waits by)
 * @param failed what was tried after it and failed, null if the service is not FAILED
 * @param droppedJar the jar of the deploy folder the good state was taken from, as messages name it
 *     ({@code deploy/x.jar}); empty for a configured service, and in a record of a deployer that did
 *     not keep it. A jar there that cannot be read at the next start (its bundle name with it) is
 *     still known as the service's: its last good state serves again from the copy kept of it.
 */
record ServiceRecord(ServiceSpec good, Failure failed, String droppedJar) {

    ServiceRecord {
        droppedJar = droppedJar == null ? "" : droppedJar;
    }

    /** Of a configured service. */
    ServiceRecord(ServiceSpec good, Failure failed) {
        this(good, failed, "");
    }

    /**
     * A change that failed.
     *
     * @param spec the configuration that failed, as read
     * @param what what was tried, as {@code msf:list} says it: {@code update to [<location>]},
     *     {@code parameters not taken}, ...
     * @param reason why it failed
     * @param jars the watched jars ({@link JarStamps}) of the configuration as it read them, so that
     *     one changed while the container was down is tried again; empty if none is watched, and in
     *     a record of a deployer that did not keep them
     */
    record Failure(ServiceSpec spec, String what, String reason, Map<Path, JarStamps.Stamp> jars) {

        Failure {
            jars = Map.copyOf(jars);
        }

        /** A failure of no jar: of parameters, or of a configuration whose jars are not watched. */
        Failure(ServiceSpec spec, String what, String reason) {
            this(spec, what, reason, Map.of());
        }
    }

    ServiceRecord withFailure(Failure failure) {
        return new ServiceRecord(good, failure, droppedJar);
    }
}
