package io.msf.monitor.internal.http;

import io.msf.monitor.internal.probe.PeerFigures;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code msf_peer_*} series: the agent's peers grouped by what stays the same across their
 * reconnections (the name they declare, how they are attached, their service and, in the container,
 * their bundle's version). A connection's address, the agent's channel id and an id the agent assigned
 * change at every reconnection: as labels they would make a new series each time, without bound, so
 * they are left to {@code agent:peers}. Peers that fall into one series (unnamed connections of a
 * service, handlers of one bundle sharing a name) add up; their latency is the slowest of them.
 *
 * @param labels {@code peer}, {@code kind}, {@code service} and {@code version}
 */
record PeerSeries(Labels labels, long messagesIn, long messagesOut, long bytesIn, long bytesOut, long queueDepth,
        long inFlight, long errors, long latencyP50Micros, long latencyP99Micros) {

    static List<PeerSeries> of(List<PeerFigures> peers) {
        Map<Labels, PeerSeries> series = new LinkedHashMap<>();
        for (PeerFigures peer : peers) {
            PeerSeries one = new PeerSeries(labels(peer), peer.messagesIn(), peer.messagesOut(), peer.bytesIn(),
                    peer.bytesOut(), peer.queueDepth(), peer.inFlight(), peer.errors(), peer.latencyP50Micros(),
                    peer.latencyP99Micros());
            series.merge(one.labels, one, PeerSeries::plus);
        }
        return new ArrayList<>(series.values());
    }

    static Labels labels(PeerFigures peer) {
        return Labels.of("peer", declaredName(peer), "kind", peer.kind(), "service", peer.service(), "version",
                peer.bundleVersion());
    }

    /**
     * The name the peer claimed, or {@code #<id>} for an id it claimed; empty for a peer with neither,
     * whose id the agent assigned (2147483648 and up: negative as an int) and changes at each connection.
     */
    private static String declaredName(PeerFigures peer) {
        boolean unnamed = peer.name().equals(PeerFigures.displayName(peer.id(), ""));
        return unnamed && peer.id() < 0 ? "" : peer.name();
    }

    private PeerSeries plus(PeerSeries other) {
        return new PeerSeries(labels, messagesIn + other.messagesIn, messagesOut + other.messagesOut,
                bytesIn + other.bytesIn, bytesOut + other.bytesOut, queueDepth + other.queueDepth,
                inFlight + other.inFlight, errors + other.errors, Math.max(latencyP50Micros, other.latencyP50Micros),
                Math.max(latencyP99Micros, other.latencyP99Micros));
    }
}
