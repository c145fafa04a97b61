package io.msf.deploy.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogReaderService;

/**
 * Asks the ServiceComponentRuntime how a version's components are doing, and the Log service what
 * DS logged of them.
 */
final class ComponentStates {

    private static final String SERVICE_COMPONENT_HEADER = "Service-Component";

    private final Supplier<ServiceComponentRuntime> runtime;
    private final Supplier<LogReaderService> log;

    ComponentStates(Supplier<ServiceComponentRuntime> runtime, Supplier<LogReaderService> log) {
        this.runtime = runtime;
        this.log = log;
    }

    /** Ready when every bundle is active and its components are; the first failure or wait otherwise. */
    Readiness readiness(List<Bundle> bundles) {
        return check(bundles, (bundle, shown, components) -> Readiness.of(shown, components));
    }

    /**
     * What a live change is measured against, taken just before it.
     *
     * @param logMark where the Log service's history stood: -1 if it was empty; without a Log
     *     service, past anything one that comes later could hold
     * @param failures the failure each component configuration that had failed to activate showed, by component id
     * @param left the PID the change leaves (a change of {@code pid}); null if none is checked
     * @param upReadingLeft by bundle id, the names of its components that read {@code left} and were up
     */
    record Baseline(long logMark, Map<Long, String> failures, String left, Map<Long, Set<String>> upReadingLeft) {
    }

    /** @param left the PID the change leaves, whose components are to stay up without it; null if none */
    Baseline baseline(List<Bundle> bundles, String left) {
        Map<Long, String> failures = new HashMap<>();
        Map<Long, Set<String>> upReadingLeft = new HashMap<>();
        ServiceComponentRuntime scr = runtime.get();
        for (Bundle bundle : scr == null ? List.<Bundle>of() : bundles) {
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
                boolean readsLeft = left != null && ParamsTaken.readsPid(description, left)
                        && scr.isComponentEnabled(description);
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        failures.put(configuration.id, configuration.failure);
                    }
                    if (readsLeft && (configuration.state == ComponentConfigurationDTO.ACTIVE
                            || configuration.state == ComponentConfigurationDTO.SATISFIED)) {
                        upReadingLeft.computeIfAbsent(bundle.getBundleId(), id -> new HashSet<>())
                                .add(description.name);
                    }
                }
            }
        }
        LogReaderService reader = log.get();
        if (reader == null) {
            return new Baseline(Long.MAX_VALUE, failures, left, upReadingLeft);
        }
        return new Baseline(LogHistory.newest(reader.getLog()), failures, left, upReadingLeft);
    }

    /**
     * Ready when every bundle's components have taken the parameters just written for it and are up
     * ({@link ParamsTaken}), and those that read the PID the change left are up without it
     * ({@link LeftPid}); the first failure or wait otherwise.
     *
     * @param had the parameters the bundles had
     * @param baseline taken just before the parameters were written
     */
    Readiness taken(List<Bundle> bundles, ServiceSpec spec, Map<String, Object> had, Baseline baseline) {
        return check(bundles, (bundle, shown, components) -> {
            // The services first, the log after: DS logs a modified method's exception and then
            // updates the service's properties, so a service that shows the parameters when read
            // means the exception, if any, is in the log by the time it is read. The other order
            // misses one thrown in between and takes the change as applied.
            Map<Long, Map<String, Object>> services = serviceProperties(bundle);
            List<LogEntry> logged = logged(bundle, baseline.logMark());
            Readiness taken = ParamsTaken.of(shown,
                    new ParamsTaken.Change(ParamConfigs.targeted(spec.pid(), bundle), spec.pid(), spec.params(), had),
                    components, new ParamsTaken.Traces(services, baseline.failures(), logged));
            if (baseline.left() == null || taken.verdict() == Readiness.Verdict.FAILED) {
                return taken;
            }
            Readiness left = LeftPid.of(shown, new LeftPid.Change(baseline.left(),
                    ParamConfigs.targeted(baseline.left(), bundle),
                    baseline.upReadingLeft().getOrDefault(bundle.getBundleId(), Set.of())), components, logged);
            return left.verdict() == Readiness.Verdict.FAILED || taken.verdict() == Readiness.Verdict.READY ? left
                    : taken;
        });
    }

    /** One bundle's verdict from its components. */
    @FunctionalInterface
    private interface BundleVerdict {

        Readiness of(Bundle bundle, String shown, List<Readiness.Component> components);
    }

    private Readiness check(List<Bundle> bundles, BundleVerdict verdict) {
        for (Bundle bundle : bundles) {
            Readiness readiness = check(bundle, verdict);
            if (readiness.verdict() != Readiness.Verdict.READY) {
                return readiness;
            }
        }
        return Readiness.READY;
    }

    private Readiness check(Bundle bundle, BundleVerdict verdict) {
        String shown = Versions.describe(bundle);
        if (bundle.getState() != Bundle.ACTIVE) {
            return new Readiness(Readiness.Verdict.WAITING, shown + " is not active yet");
        }
        boolean declaresComponents = bundle.getHeaders("").get(SERVICE_COMPONENT_HEADER) != null;
        if (!declaresComponents) {
            return Readiness.READY;
        }
        ServiceComponentRuntime scr = runtime.get();
        if (scr == null) {
            return new Readiness(Readiness.Verdict.WAITING, shown + " has components and Declarative Services"
                    + " is not running");
        }
        List<Readiness.Component> components = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
            components.add(new Readiness.Component(description, scr.isComponentEnabled(description),
                    scr.getComponentConfigurationDTOs(description)));
        }
        if (components.isEmpty()) {
            return new Readiness(Readiness.Verdict.WAITING, shown + ": components not loaded yet");
        }
        return verdict.of(bundle, shown, components);
    }

    /** The properties of the bundle's registered services as the framework has them, by service id. */
    private static Map<Long, Map<String, Object>> serviceProperties(Bundle bundle) {
        Map<Long, Map<String, Object>> byId = new HashMap<>();
        ServiceReference<?>[] registered = bundle.getRegisteredServices();
        for (ServiceReference<?> reference : registered == null ? new ServiceReference<?>[0] : registered) {
            Map<String, Object> properties = new HashMap<>();
            for (String key : reference.getPropertyKeys()) {
                properties.put(key, reference.getProperty(key));
            }
            byId.put((Long) reference.getProperty(Constants.SERVICE_ID), properties);
        }
        return byId;
    }

    /**
     * What the Log service's history holds for the bundle after the mark: DS logs each entry as it
     * happens, so it is there by the time DS is done with the change (a LogListener hears of it
     * later, on the Log service's own thread).
     */
    private List<LogEntry> logged(Bundle bundle, long mark) {
        LogReaderService reader = log.get();
        return reader == null ? new ArrayList<>() : LogHistory.after(reader.getLog(), mark, bundle.getBundleId());
    }
}
