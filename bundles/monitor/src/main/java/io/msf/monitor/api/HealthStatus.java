package io.msf.monitor.api;

/** How a service is, worst last. */
public enum HealthStatus {
    /** Working as it should. */
    UP,
    /** Working, but a threshold is crossed or a dependency is slow: an alert, not a failure. */
    WARN,
    /** Not working: the deployer's gate refuses a version in this state. */
    DOWN
}
