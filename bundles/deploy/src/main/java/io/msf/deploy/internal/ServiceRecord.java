package io.msf.deploy.internal;

/**
 * What the deployer keeps of a service across a restart of the container ({@link ServiceRecords}):
 * the last state it brought up and saw serving, and the change that failed after it, if the service
 * is FAILED. A container started afresh installs the last good state instead of a configuration
 * that failed before, which would fail again and leave nothing of the service running.
 *
 * @param good what last ran well: locations, version, start level, PID and parameters (with its
 *     timeouts, which a new install waits by)
 * @param failed what was tried after it and failed, null if the service is not FAILED
 */
record ServiceRecord(ServiceSpec good, Failure failed) {

    /**
     * A change that failed.
     *
     * @param spec the configuration that failed, as read
     * @param what what was tried, as {@code msf:list} says it: {@code update to [<location>]},
     *     {@code parameters not taken}, ...
     * @param reason why it failed
     */
    record Failure(ServiceSpec spec, String what, String reason) {
    }

    ServiceRecord withFailure(Failure failure) {
        return new ServiceRecord(good, failure);
    }
}
