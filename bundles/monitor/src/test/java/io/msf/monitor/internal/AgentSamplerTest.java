package io.msf.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.agent.api.Agent;
import io.msf.agent.api.AgentTotals;
import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.PeerKind;
import io.msf.agent.api.TopicInfo;
import io.msf.monitor.internal.probe.PeerFigures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentSamplerTest {

    @Test
    void processesWithNeitherANameNorAnIdOfTheirOwnAreOneService() {
        // The agent gives each of their connections a new id: as a service each, every connection
        // would be new msf_service_* series in Prometheus, and a new subject for the alerts.
        List<PeerInfo> peers = List.of(peer(0x8000_0001, "", PeerKind.TCP, "tcp 127.0.0.1:40000"),
                peer(0x8000_0002, "", PeerKind.UNIX, "unix /data/agent.sock #1f2e3d4c"),
                peer(0x8000_0003, "player", PeerKind.TCP, "tcp 127.0.0.1:40001"),
                peer(7, "", PeerKind.TCP, "tcp 127.0.0.1:40002"),
                peer(0x8000_0004, "", PeerKind.BUNDLE, "bundle io.msf.shell 0.1.0"));

        List<String> services = new AgentSampler(agent(peers)).peers().stream().map(PeerFigures::service).toList();

        assertThat(services).containsExactly("(unnamed)", "(unnamed)", "player", "#7", "io.msf.shell");
    }

    private static PeerInfo peer(int id, String name, PeerKind kind, String origin) {
        return new PeerInfo(id, name, kind, origin, Instant.EPOCH, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** An agent that has only these peers. */
    private static Agent agent(List<PeerInfo> peers) {
        return new Agent() {
            @Override
            public List<PeerInfo> peers() {
                return peers;
            }

            @Override
            public List<TopicInfo> topics() {
                return List.of();
            }

            @Override
            public AgentTotals totals() {
                throw new UnsupportedOperationException("not sampled");
            }
        };
    }
}
