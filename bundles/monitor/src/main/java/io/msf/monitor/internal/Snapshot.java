package io.msf.monitor.internal;

import io.msf.monitor.internal.probe.PeerFigures;
import io.msf.monitor.internal.probe.ProcessFigures;
import io.msf.monitor.internal.probe.ServiceFigures;
import io.msf.monitor.internal.probe.ThreadGroupFigures;
import java.time.Instant;
import java.util.List;

/**
 * Everything one sample saw: what alerts are checked against and what /metrics shows.
 *
 * @param time when it was taken
 * @param process the process over the last sampling period: what /metrics shows
 * @param processWindow the process over the alert window (alertWindowMillis): what the GC and process CPU
 *     alerts follow
 * @param threadGroups msf's thread groups
 * @param services every service, by name
 * @param peers the agent's peers, empty without the agent
 */
public record Snapshot(Instant time, ProcessFigures process, ProcessFigures processWindow,
        List<ThreadGroupFigures> threadGroups, List<ServiceFigures> services, List<PeerFigures> peers) {

    /** A sample whose alert window is its one sampling period. */
    public Snapshot(Instant time, ProcessFigures process, List<ThreadGroupFigures> threadGroups,
            List<ServiceFigures> services, List<PeerFigures> peers) {
        this(time, process, process, threadGroups, services, peers);
    }
}
