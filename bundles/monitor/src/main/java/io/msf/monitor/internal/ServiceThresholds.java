package io.msf.monitor.internal;

import io.msf.settings.ConfigValues;
import java.util.Map;
import org.osgi.framework.Constants;
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

    /** Component property of a configuration read from a file: the file (Felix File Install's key). */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    /**
     * The service and its limits, replaced together so that a sample never pairs one's with the other's,
     * and the configuration they come from.
     *
     * @param pid the configuration's PID, {@code msf.monitor.service~<name>}
     * @param file the file it was read from, or null if it was made otherwise
     */
    record InForce(String service, ServiceLimits limits, String pid, String file) {

        /** The configuration, for people: its PID and file. */
        String origin() {
            return file == null ? pid : pid + " (file " + file + ")";
        }
    }

    private final Logger log;
    private volatile InForce current;

    /**
     * @throws IllegalArgumentException naming the key, if a value is out of its range (past the config
     *     gate: set through Config Admin directly, or NaN, which the gate's minimum lets through)
     */
    @Activate
    public ServiceThresholds(ServiceThresholdsConfiguration config, Map<String, Object> properties,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.current = checked(config, properties);
        log.info("Thresholds of service {} (-1: as msf.monitor): {}", service(), limits());
    }

    /** A change with a value out of range is refused naming the key; the thresholds in force stay. */
    @Modified
    void modified(ServiceThresholdsConfiguration config, Map<String, Object> properties) {
        try {
            current = checked(config, properties);
            log.info("Thresholds of service {} (-1: as msf.monitor): {}", service(), limits());
        } catch (IllegalArgumentException e) {
            log.error("{}; keeping the thresholds of service {}: {}", e.getMessage(), service(), limits());
        }
    }

    String service() {
        return current.service();
    }

    ServiceLimits limits() {
        return current.limits();
    }

    /** The service, its limits and their configuration, as one. */
    InForce inForce() {
        return current;
    }

    @Override
    public String toString() {
        return current.origin() + " for " + service() + ": " + limits();
    }

    private static InForce checked(ServiceThresholdsConfiguration configured, Map<String, Object> properties) {
        Object pid = properties.get(Constants.SERVICE_PID);
        Object file = properties.get(FILE_PROPERTY);
        // the configuration's own PID, msf.monitor.service~<name>: the one to look up, or config:edit
        String owner = pid == null ? FACTORY_PID : pid.toString();
        ServiceThresholdsConfiguration config = ConfigValues.naming(ServiceThresholdsConfiguration.class, configured);
        String service;
        try {
            service = serviceName(config.service());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(owner + ": " + e.getMessage(), e);
        }
        try {
            return new InForce(service, new ServiceLimits(
                    Settings.rangeDouble("pooledBytes", config::pooledBytes, -1, Long.MAX_VALUE),
                    Settings.rangeDouble("pendingTimers", config::pendingTimers, -1, Long.MAX_VALUE),
                    Settings.rangeDouble("agentErrorsPerSecond", config::agentErrorsPerSecond, -1, Double.MAX_VALUE),
                    Settings.rangeDouble("agentLatencyMillis", config::agentLatencyMillis, -1, Double.MAX_VALUE),
                    Settings.rangeDouble("cpuPercent", config::cpuPercent, -1, Settings.MAX_SERVICE_CPU_PERCENT)),
                    owner, file == null ? null : file.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(owner + " (service " + service + "): " + e.getMessage(), e);
        }
    }

    private static String serviceName(String service) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service: missing; name the bundle symbolic"
                    + " name (or agent name) the thresholds are for");
        }
        return service.trim();
    }
}
