package io.msf.monitor.internal.probe;

/**
 * One service bundle (or agent process) over one sampling period.
 *
 * @param service the bundle's symbolic name, or the process's agent name
 * @param pooledBytes bytes it holds in the memory pool
 * @param liveBuffers pooled buffers it holds
 * @param pendingTimers timers it has pending
 * @param endpoints network endpoints it owns
 * @param connections open connections on them
 * @param peers agent peers it has
 * @param agentMessages messages its peers sent and received so far, those of peers that left included
 * @param agentMessagesPerSecond the same over the period
 * @param agentErrors errors of its peers so far, those of peers that left included
 * @param agentErrorsPerSecond the same over the period
 * @param agentLatencyP99Millis the slowest p99 request latency among its peers over the last 30 to 60 s
 * @param threads live threads of its msf executors
 * @param cpuSeconds CPU time of its executor threads (ended ones included) and of its tasks on the shared
 *     loops, so far, versions of it that have gone and earlier runs of its bundle included: it never goes down
 * @param cpuPercent the same over the period, % of one core
 * @param cpuWindowPercent the same over the alert window (alertWindowMillis), or -1 until the service has been
 *     seen for a full window: what the service CPU alert follows
 * @param agentErrorsWindowPerSecond agent errors per second over the alert window, or -1 until the service has
 *     been seen for a full window: what the agent errors alert follows (errors that come sparsely would give
 *     a rate over the threshold for one period and 0 for the next)
 */
public record ServiceFigures(String service, long pooledBytes, long liveBuffers, long pendingTimers, int endpoints,
        int connections, int peers, long agentMessages, double agentMessagesPerSecond, long agentErrors,
        double agentErrorsPerSecond, double agentLatencyP99Millis, int threads, double cpuSeconds,
        double cpuPercent, double cpuWindowPercent, double agentErrorsWindowPerSecond) {

    /** A service whose alert window is the one sampling period. */
    public ServiceFigures(String service, long pooledBytes, long liveBuffers, long pendingTimers, int endpoints,
            int connections, int peers, long agentMessages, double agentMessagesPerSecond, long agentErrors,
            double agentErrorsPerSecond, double agentLatencyP99Millis, int threads, double cpuSeconds,
            double cpuPercent) {
        this(service, pooledBytes, liveBuffers, pendingTimers, endpoints, connections, peers, agentMessages,
                agentMessagesPerSecond, agentErrors, agentErrorsPerSecond, agentLatencyP99Millis, threads, cpuSeconds,
                cpuPercent, cpuPercent, agentErrorsPerSecond);
    }
}
