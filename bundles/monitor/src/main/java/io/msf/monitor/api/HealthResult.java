package io.msf.monitor.api;

import java.util.Objects;

/**
 * The outcome of one health check.
 *
 * @param status how the service is
 * @param detail for people: what was checked and, unless UP, what is wrong; never null
 */
public record HealthResult(HealthStatus status, String detail) {

    public HealthResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    public static HealthResult up(String detail) {
        return new HealthResult(HealthStatus.UP, detail);
    }

    public static HealthResult warn(String detail) {
        return new HealthResult(HealthStatus.WARN, detail);
    }

    public static HealthResult down(String detail) {
        return new HealthResult(HealthStatus.DOWN, detail);
    }
}
