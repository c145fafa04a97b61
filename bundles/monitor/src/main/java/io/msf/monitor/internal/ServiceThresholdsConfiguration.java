package io.msf.monitor.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "msf monitor: thresholds of one service",
        description = "Overrides msf.monitor's per-service thresholds for one service. -1 keeps the msf.monitor"
                + " value, 0 turns the alert off for this service.")
@interface ServiceThresholdsConfiguration {

    @AttributeDefinition(name = "Service",
            description = "The bundle symbolic name of the service (or, for a process on the agent's sockets, the"
                    + " name it registered with).")
    String service();

    @AttributeDefinition(name = "Pooled bytes", description = "Bytes it may hold in the memory pool.", min = "-1")
    long pooledBytes() default -1;

    @AttributeDefinition(name = "Pending timers", description = "Timers it may have pending.", min = "-1")
    long pendingTimers() default -1;

    @AttributeDefinition(name = "Agent errors per second", description = "Agent errors of its peers per second.",
            type = AttributeType.DOUBLE, min = "-1")
    double agentErrorsPerSecond() default -1;

    @AttributeDefinition(name = "Agent p99 latency (ms)", description = "Slowest p99 request latency of its peers.",
            type = AttributeType.DOUBLE, min = "-1")
    double agentLatencyMillis() default -1;

    @AttributeDefinition(name = "CPU (% of one core)",
            description = "CPU of its msf executor threads and event-loop tasks over the alert window (alertWindowMillis of"
                    + " msf.monitor); 200 = two cores.",
            type = AttributeType.DOUBLE, min = "-1", max = "10000")
    double cpuPercent() default -1;
}
