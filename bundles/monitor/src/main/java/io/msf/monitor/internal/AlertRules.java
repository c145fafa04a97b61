package io.msf.monitor.internal;

import io.msf.monitor.internal.alert.Alert;
import io.msf.monitor.internal.alert.AlertKind;
import io.msf.monitor.internal.alert.Limit;
import io.msf.monitor.internal.alert.Reading;
import io.msf.monitor.internal.probe.ProcessFigures;
import io.msf.monitor.internal.probe.ServiceFigures;
import io.msf.monitor.internal.probe.ThreadGroupFigures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which figure of a sample is checked against which threshold. */
final class AlertRules {

    /** Subject of the process-wide alerts. */
    static final String PROCESS = "process";
    /** Subject prefix of a thread group's CPU alert, {@code threads msf-worker}. */
    static final String THREADS = "threads ";
    /** A figure not known this round: it raises nothing and leaves an open alert as it is, for a while. */
    private static final double UNKNOWN = -1;

    private AlertRules() {
    }

    /**
     * The readings of one sample, unknown figures (-1) among them: they raise nothing, and leave an open
     * alert as it is (a thread group whose threads were replaced has no figure until the new ones span the
     * window; that is no figure back under) for {@link #unknownRounds} rounds. A threshold turned off
     * gives no reading: its alert clears.
     *
     * @param overrides per-service thresholds by service name
     */
    static List<Reading> readings(Snapshot sample, Settings settings, Map<String, ServiceLimits> overrides) {
        double ratio = settings.clearRatio();
        List<Reading> readings = new ArrayList<>();
        ProcessFigures process = sample.process();
        add(readings, AlertKind.HEAP, PROCESS, process.heapPercent(), Limit.of(settings.heapPercent(), ratio));
        add(readings, AlertKind.RSS, PROCESS, process.rssBytes(), Limit.of(settings.rssBytes(), ratio));
        // GC and CPU come in bursts: over one period they would cross a threshold and fall back at every
        // sample, so these alerts follow the alert window (the process's, each thread's, each service's)
        ProcessFigures window = sample.processWindow();
        add(readings, AlertKind.GC, PROCESS, window.gcPercent(), Limit.of(settings.gcPercent(), ratio));
        add(readings, AlertKind.FILES, PROCESS, process.openFilesPercent(),
                Limit.of(settings.openFilesPercent(), ratio));
        add(readings, AlertKind.CPU, PROCESS, window.cpuPercent(), Limit.of(settings.processCpuPercent(), ratio));
        Limit threadLimit = Limit.of(settings.threadCpuPercent(), ratio);
        for (ThreadGroupFigures group : sample.threadGroups()) {
            add(readings, AlertKind.CPU, THREADS + group.group(), group.hottestWindowPercent(), threadLimit);
        }
        for (ServiceFigures service : sample.services()) {
            ServiceLimits limits = overrides.getOrDefault(service.service(), settings.serviceDefaults())
                    .over(settings.serviceDefaults());
            String name = service.service();
            add(readings, AlertKind.MEMORY, name, service.pooledBytes(), Limit.of(limits.pooledBytes(), ratio));
            add(readings, AlertKind.TIMERS, name, service.pendingTimers(), Limit.of(limits.pendingTimers(), ratio));
            if (service.cpuSeconds() > 0 || service.threads() > 0) {
                add(readings, AlertKind.CPU, name, service.cpuWindowPercent(), Limit.of(limits.cpuPercent(), ratio));
            }
            // Without a peer (its last one left, as when it reconnects) no traffic is measured: its agent
            // figures are unknown, not back under, which would clear an open alert and raise it again.
            boolean measured = service.peers() > 0;
            // Over the alert window, as the CPU alerts: errors that come steadily but sparsely (one every few
            // samples) made a rate over the threshold at one sample and 0 at the next, raising and clearing it.
            add(readings, AlertKind.AGENT_ERRORS, name, measured ? service.agentErrorsWindowPerSecond() : UNKNOWN,
                    Limit.of(limits.agentErrorsPerSecond(), ratio));
            add(readings, AlertKind.AGENT_LATENCY, name, measured ? service.agentLatencyP99Millis() : UNKNOWN,
                    Limit.of(limits.agentLatencyMillis(), ratio));
        }
        return readings;
    }

    /**
     * How many rounds after its first unknown reading an open alert's figure may stay unknown before the
     * alert clears: those of the alert window and one sampling period more, rounded up. A figure that is
     * coming is known by then (the new threads of a group, first seen less than a sampling period after
     * the old ones, span the window within it); one that is not (threads that all live shorter than the
     * window) would keep the alert open as long as the group lives. Rounds, not the samples' wall-clock
     * times, which a step of the clock would move a window on at once.
     */
    static int unknownRounds(Settings settings) {
        long sample = settings.sampleMillis();
        return (int) Math.min(Integer.MAX_VALUE, (settings.alertWindowMillis() + sample + sample - 1) / sample);
    }

    /** Every subject of a sample, whether its figures are read or not: an alert of one of them is not of a subject gone. */
    static Set<String> subjects(Snapshot sample) {
        Set<String> subjects = new HashSet<>();
        subjects.add(PROCESS);
        for (ThreadGroupFigures group : sample.threadGroups()) {
            subjects.add(THREADS + group.group());
        }
        for (ServiceFigures service : sample.services()) {
            subjects.add(service.service());
        }
        return subjects;
    }

    private static void add(List<Reading> readings, AlertKind kind, String subject, double value, Limit limit) {
        if (!limit.isOff()) {
            readings.add(new Reading(kind, subject, value, limit));
        }
    }

    /**
     * Where the threshold an alert crossed is configured, for its log line:
     * {@code msf.monitor key 'heapPercent'} or {@code msf.monitor.service (service io.x) key 'pooledBytes'}.
     */
    static String thresholdSource(Alert alert, Map<String, ServiceLimits> overrides) {
        String key = configKey(alert);
        ServiceLimits override = overrides.get(alert.subject());
        boolean overridden = override != null && switch (alert.kind()) {
            case MEMORY -> override.pooledBytes() >= 0;
            case TIMERS -> override.pendingTimers() >= 0;
            case AGENT_ERRORS -> override.agentErrorsPerSecond() >= 0;
            case AGENT_LATENCY -> override.agentLatencyMillis() >= 0;
            case CPU -> override.cpuPercent() >= 0;
            default -> false;
        };
        return overridden ? ServiceThresholds.FACTORY_PID + " (service " + alert.subject() + ") key '"
                + (alert.kind() == AlertKind.CPU ? "cpuPercent" : key) + "'" : Monitor.PID + " key '" + key + "'";
    }

    /** The msf.monitor (or msf.monitor.service) key whose threshold the alert crossed. */
    static String configKey(Alert alert) {
        switch (alert.kind()) {
            case MEMORY:
                return "pooledBytes";
            case HEAP:
                return "heapPercent";
            case RSS:
                return "rssBytes";
            case GC:
                return "gcPercent";
            case FILES:
                return "openFilesPercent";
            case CPU:
                if (PROCESS.equals(alert.subject())) {
                    return "processCpuPercent";
                }
                return alert.subject().startsWith(THREADS) ? "threadCpuPercent" : "serviceCpuPercent";
            case TIMERS:
                return "pendingTimers";
            case AGENT_ERRORS:
                return "agentErrorsPerSecond";
            default:
                return "agentLatencyMillis";
        }
    }
}
