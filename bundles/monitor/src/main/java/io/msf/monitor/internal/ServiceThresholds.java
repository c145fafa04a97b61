package io.msf.monitor.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
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

    private final String service;
    private final ServiceLimits limits;

    @Activate
    public ServiceThresholds(ServiceThresholdsConfiguration config,
            @Reference(service = LoggerFactory.class) Logger log) {
        this(config.service(), new ServiceLimits(config.pooledBytes(), config.pendingTimers(),
                config.agentErrorsPerSecond(), config.agentLatencyMillis(), config.cpuPercent()));
        log.info("Thresholds of service {} (-1: as msf.monitor): {}", service, limits);
    }

    ServiceThresholds(String service, ServiceLimits limits) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException(FACTORY_PID + ": key 'service' is required: the bundle symbolic"
                    + " name (or agent name) the thresholds are for");
        }
        this.service = service.trim();
        this.limits = limits;
    }

    String service() {
        return service;
    }

    ServiceLimits limits() {
        return limits;
    }

    @Override
    public String toString() {
        return FACTORY_PID + " for " + service + ": " + limits;
    }
}
