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
 * @param process the process
 * @param threadGroups msf's thread groups
 * @param services every service, by name
 * @param peers the agent's peers, empty without the agent
 */
public record Snapshot(Instant time, ProcessFigures process, List<ThreadGroupFigures> threadGroups,
        List<ServiceFigures> services, List<PeerFigures> peers) {
}
