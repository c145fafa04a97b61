package io.msf.monitor.internal;

/**
 * Per-service thresholds; -1 in an override means "as msf.monitor says", 0 means no alert.
 *
 * @param pooledBytes bytes held in the memory pool
 * @param pendingTimers pending timers
 * @param agentErrorsPerSecond agent errors per second
 * @param agentLatencyMillis slowest p99 latency in ms
 * @param cpuPercent CPU of its executor threads and loop tasks, % of one core
 */
record ServiceLimits(double pooledBytes, double pendingTimers, double agentErrorsPerSecond,
        double agentLatencyMillis, double cpuPercent) {

    static final double INHERIT = -1;

    /** These limits with every {@link #INHERIT} replaced by the default's value. */
    ServiceLimits over(ServiceLimits defaults) {
        return new ServiceLimits(pick(pooledBytes, defaults.pooledBytes), pick(pendingTimers, defaults.pendingTimers),
                pick(agentErrorsPerSecond, defaults.agentErrorsPerSecond),
                pick(agentLatencyMillis, defaults.agentLatencyMillis), pick(cpuPercent, defaults.cpuPercent));
    }

    private static double pick(double own, double fallback) {
        return own < 0 ? fallback : own;
    }
}
