package io.msf.monitor.internal;

import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One {@code msf.monitor.service~<name>} configuration: thresholds of one service that differ from
 * msf.monitor's. Registered as a service so that the {@link Monitor} picks up each override as it
 * comes and goes.
 */
@Component(service = ServiceThresholds.class, configurationPid = ServiceThresholds.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ServiceThresholdsConfiguration.class, factory = true)
public final class ServiceThresholds {

    static final String FACTORY_PID = "msf.monitor.service";

    /** The service and its limits, replaced together so that a sample never pairs one's with the other's. */
    private record InForce(String service, ServiceLimits limits) {
    }

    private final Logger log;
    private volatile InForce current;

    /**
     * @throws IllegalArgumentException naming the key, if a value is out of its range (past the config
     *     gate: set through Config Admin directly, or NaN, which the gate's minimum lets through)
     */
    @Activate
    public ServiceThresholds(ServiceThresholdsConfiguration config,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.current = checked(config);
        log.info("Thresholds of service {} (-1: as msf.monitor): {}", service(), limits());
    }

    /** A change with a value out of range is refused naming the key; the thresholds in force stay. */
    @Modified
    void modified(ServiceThresholdsConfiguration config) {
        try {
            current = checked(config);
            log.info("Thresholds of service {} (-1: as msf.monitor): {}", service(), limits());
        } catch (IllegalArgumentException e) {
            log.error("{} rejected: {}; keeping the thresholds of service {}: {}", FACTORY_PID, e.getMessage(),
                    service(), limits());
        }
    }

    String service() {
        return current.service();
    }

    ServiceLimits limits() {
        return current.limits();
    }

    /** Adds these thresholds, by their service, to {@code byService}. */
    void putInto(Map<String, ServiceLimits> byService) {
        InForce now = current;
        byService.put(now.service(), now.limits());
    }

    @Override
    public String toString() {
        return FACTORY_PID + " for " + service() + ": " + limits();
    }

    private static InForce checked(ServiceThresholdsConfiguration config) {
        String service = serviceName(config.service());
        try {
            return new InForce(service, new ServiceLimits(
                    Settings.rangeDouble("pooledBytes", config.pooledBytes(), -1, Long.MAX_VALUE),
                    Settings.rangeDouble("pendingTimers", config.pendingTimers(), -1, Long.MAX_VALUE),
                    Settings.rangeDouble("agentErrorsPerSecond", config.agentErrorsPerSecond(), -1, Double.MAX_VALUE),
                    Settings.rangeDouble("agentLatencyMillis", config.agentLatencyMillis(), -1, Double.MAX_VALUE),
                    Settings.rangeDouble("cpuPercent", config.cpuPercent(), -1, Settings.MAX_SERVICE_CPU_PERCENT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FACTORY_PID + " (service " + service + "): " + e.getMessage(), e);
        }
    }

    private static String serviceName(String service) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException(FACTORY_PID + ": key 'service' is required: the bundle symbolic"
                    + " name (or agent name) the thresholds are for");
        }
        return service.trim();
    }
}
