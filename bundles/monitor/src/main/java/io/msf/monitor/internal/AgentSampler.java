package io.msf.monitor.internal;

import io.msf.agent.api.Agent;
import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.PeerKind;
import io.msf.monitor.internal.probe.AgentProbe;
import io.msf.monitor.internal.probe.PeerFigures;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Reads the agent's peers for the monitor. The only class that touches the agent's API: without the
 * agent bundle its package is not wired, this component is not satisfied, and the monitor samples
 * everything else.
 */
@Component(service = AgentProbe.class)
public final class AgentSampler implements AgentProbe {

    private final Agent agent;

    @Activate
    public AgentSampler(@Reference Agent agent) {
        this.agent = agent;
    }

    @Override
    public List<PeerFigures> peers() {
        List<PeerInfo> peers = agent.peers();
        List<PeerFigures> figures = new ArrayList<>(peers.size());
        for (PeerInfo peer : peers) {
            String name = PeerFigures.displayName(peer.id(), peer.name());
            boolean inContainer = peer.kind() == PeerKind.HANDLER || peer.kind() == PeerKind.BUNDLE;
            figures.add(new PeerFigures(peer.id(), name, peer.kind().name(), peer.origin(),
                    PeerFigures.serviceOf(inContainer, peer.origin(), peer.id(), peer.name()), peer.messagesIn(),
                    peer.messagesOut(),
                    peer.bytesIn(), peer.bytesOut(), peer.queueDepth(), peer.inFlight(), peer.errors(),
                    peer.latencyP50Micros(), peer.latencyP99Micros(), peer.recentLatencyP99Micros()));
        }
        return figures;
    }
}
