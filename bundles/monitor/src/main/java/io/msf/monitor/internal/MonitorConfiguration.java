package io.msf.monitor.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "msf monitor",
        description = "Samples the process, msf's threads and every service bundle, raises alerts when a figure"
                + " is at or above its threshold (a percentage threshold of 100 is reached at 100) and clears them when it falls back under clearRatio x threshold;"
                + " serves Prometheus /metrics and /health. A threshold of 0 turns its alert off. Per-service"
                + " thresholds: factory PID msf.monitor.service.")
@interface MonitorConfiguration {

    @AttributeDefinition(name = "Sampling period (ms)",
            description = "How often the figures are sampled and the thresholds checked.", min = "100", max = "60000")
    long sampleMillis() default 1000;

    @AttributeDefinition(name = "Clear ratio",
            description = "An alert clears when its figure falls below threshold x clearRatio (hysteresis: a figure"
                    + " hovering at the threshold does not flap). 1 clears as soon as it is back under.",
            type = AttributeType.DOUBLE, min = "0.1", max = "1.0")
    double clearRatio() default 0.9;

    @AttributeDefinition(name = "Alert window (ms)",
            description = "The GC time and CPU alerts (process, thread, service) follow their share of this window,"
                    + " not of the last sampling period alone: a burst near the threshold would raise and clear them at"
                    + " every sample. No such alert before the samples span the window once (for a thread or service,"
                    + " once they have seen it for the whole window). Shorter than sampleMillis (0 included): the last"
                    + " sampling period. /metrics is not affected (its CPU and GC figures are counters).",
            min = "0", max = "600000")
    long alertWindowMillis() default 10_000;

    @AttributeDefinition(name = "Heap after GC (% of max)",
            description = "Heap in use after the last garbage collection as a percentage of the maximum heap: the"
                    + " live objects, not the garbage allocated since, which comes and goes with each young"
                    + " collection.",
            type = AttributeType.DOUBLE, min = "0", max = "100")
    double heapPercent() default 90;

    @AttributeDefinition(name = "Resident memory (bytes)",
            description = "Resident set size of the process (VmRSS in /proc/self/status); 0 = no alert.", min = "0")
    long rssBytes() default 0;

    @AttributeDefinition(name = "GC time (% of wall time)",
            description = "Share of the alert window (alertWindowMillis) the JVM spent in garbage collection.",
            type = AttributeType.DOUBLE, min = "0", max = "100")
    double gcPercent() default 25;

    @AttributeDefinition(name = "Open files (% of limit)",
            description = "Open file descriptors (/proc/self/fd) as a percentage of the soft limit (ulimit -n).",
            type = AttributeType.DOUBLE, min = "0", max = "100")
    double openFilesPercent() default 80;

    @AttributeDefinition(name = "Process CPU (% of all cores)",
            description = "CPU used by the whole process over the alert window (alertWindowMillis), 100 = every core"
                    + " busy.",
            type = AttributeType.DOUBLE, min = "0", max = "100")
    double processCpuPercent() default 90;

    @AttributeDefinition(name = "Thread CPU (% of one core)",
            description = "CPU used over the alert window (alertWindowMillis) by any one thread whose name starts with"
                    + " threadPrefix (msf's shared loops, the timer, ...), 100 = one core busy: a thread that spins or"
                    + " blocks its loop with work. The alert names the thread group (the name without its -<n> suffix)."
                    + " A service's own executor threads count for the service: see serviceCpuPercent.",
            type = AttributeType.DOUBLE, min = "0", max = "100")
    double threadCpuPercent() default 95;

    @AttributeDefinition(name = "Thread name prefix",
            description = "Threads whose name starts with this are msf's (event loops msf-io-<n>, msf-worker-<n>,"
                    + " msf-timer, ...): their CPU is measured per thread and reported per group.")
    String threadPrefix() default "msf-";

    @AttributeDefinition(name = "Pooled bytes per service",
            description = "Bytes a service bundle holds in the memory pool; 0 = no alert. Override per service"
                    + " with msf.monitor.service~<name>.", min = "0")
    long pooledBytes() default 0;

    @AttributeDefinition(name = "Pending timers per service",
            description = "Timers a service bundle has pending; 0 = no alert.", min = "0")
    long pendingTimers() default 100_000;

    @AttributeDefinition(name = "Agent errors per second per service",
            description = "Agent errors (ERROR frames, malformed frames) of a service's peers per second; 0 = no alert.",
            type = AttributeType.DOUBLE, min = "0")
    double agentErrorsPerSecond() default 0;

    @AttributeDefinition(name = "Agent p99 latency per service (ms)",
            description = "The slowest 99th-percentile request latency among a service's peers; 0 = no alert.",
            type = AttributeType.DOUBLE, min = "0")
    double agentLatencyMillis() default 0;

    @AttributeDefinition(name = "Service CPU (% of one core)",
            description = "CPU used over the alert window (alertWindowMillis) by a service bundle through msf: its executor threads"
                    + " (ServiceExecutors) and its tasks on the shared event loops. 100 = one core busy, 200 = two;"
                    + " 0 = no alert.",
            type = AttributeType.DOUBLE, min = "0", max = "10000")
    double serviceCpuPercent() default 90;

    @AttributeDefinition(name = "Health check limit (ms)",
            description = "How long msf:health and /health wait for one health check before counting it DOWN. At"
                    + " most 25000: /health must answer within the HTTP server's 30 s response deadline.",
            min = "10", max = "" + Settings.MAX_HEALTH_TIMEOUT_MILLIS)
    long healthTimeoutMillis() default 1000;

    @AttributeDefinition(name = "HTTP endpoint",
            description = "Serve /metrics (Prometheus text format) and /health (JSON).")
    boolean httpEnabled() default true;

    @AttributeDefinition(name = "HTTP host",
            description = "Address to listen on. Anything but a loopback address also needs allowRemote = true.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "HTTP port", description = "Port to listen on; 0 picks a free one (logged).",
            min = "0", max = "65535")
    int port() default 9464;

    @AttributeDefinition(name = "Allow remote",
            description = "Must be true to listen on a non-loopback address: metrics and health name every"
                    + " service, peer and thread group, and are served without authentication.")
    boolean allowRemote() default false;

    @AttributeDefinition(name = "JVM allocation metrics",
            description = "Also serve jvm_memory_pool_allocated_bytes_total. It listens to every garbage"
                    + " collection, which then costs the JVM a notification each: off unless wanted.")
    boolean jvmAllocationMetrics() default false;
}
