package io.msf.monitor.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The {@code msf.monitor.service} thresholds in force, by service. Two configurations for one service
 * conflict: the one whose PID sorts first is in force, the same one whatever order they came in (and
 * so after every restart), and the conflict is logged once at WARN, naming every configuration and its
 * file, then once more if it changes, and at INFO when it is over. Called by the sampling thread only.
 */
final class ThresholdOverrides {

    private final Consumer<String> warn;
    private final Consumer<String> info;
    /** The conflict logged for each service that has one. */
    private final Map<String, String> reported = new HashMap<>();

    ThresholdOverrides(Consumer<String> warn, Consumer<String> info) {
        this.warn = warn;
        this.info = info;
    }

    Map<String, ServiceLimits> byService(List<ServiceThresholds> overrides) {
        Map<String, List<ServiceThresholds.InForce>> byService = new TreeMap<>();
        for (ServiceThresholds override : overrides) {
            ServiceThresholds.InForce now = override.inForce(); // one read: a change may come meanwhile
            byService.computeIfAbsent(now.service(), s -> new ArrayList<>()).add(now);
        }
        Map<String, ServiceLimits> limits = new HashMap<>();
        byService.forEach((service, configurations) -> {
            configurations.sort(Comparator.comparing(ServiceThresholds.InForce::pid));
            limits.put(service, configurations.get(0).limits());
            report(service, configurations);
        });
        reported.keySet().removeIf(service -> {
            if (byService.containsKey(service)) {
                return false;
            }
            info.accept(ServiceThresholds.FACTORY_PID + ": the conflicting configurations for service " + service
                    + " are gone");
            return true;
        });
        return limits;
    }

    private void report(String service, List<ServiceThresholds.InForce> configurations) {
        if (configurations.size() == 1) {
            String was = reported.remove(service);
            if (was != null) {
                info.accept(ServiceThresholds.FACTORY_PID + ": service " + service + " has one configuration again, "
                        + configurations.get(0).origin());
            }
            return;
        }
        String conflict = ServiceThresholds.FACTORY_PID + ": " + configurations.size()
                + " configurations for service " + service + ": " + configurations.get(0).origin()
                + " is in force (the first by PID), ignored: "
                + configurations.subList(1, configurations.size()).stream().map(ServiceThresholds.InForce::origin)
                        .collect(Collectors.joining(", "))
                + "; keep one per service";
        if (!conflict.equals(reported.put(service, conflict))) {
            warn.accept(conflict);
        }
    }
}
