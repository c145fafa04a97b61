package io.msf.monitor.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.monitor.internal.Snapshot;
import io.msf.monitor.internal.probe.PeerFigures;
import io.msf.monitor.internal.probe.ProcessFigures;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MsfCollectorTest {

    @Test
    void twoVersionsOfOneHandlerAreTwoSeries() {
        // During a hot swap both versions' handlers answer to the same name and id, from bundles
        // with the same symbolic name: only their origin tells them apart.
        Snapshot sample = new Snapshot(Instant.EPOCH, new ProcessFigures(1, 2, 3, 4, 5, 6, 7, 8, 9), List.of(),
                List.of(), List.of(handler("bundle io.x.dlna 1.0.0, service 40", 5),
                        handler("bundle io.x.dlna 1.1.0, service 41", 0)));

        List<MetricSnapshot> metrics = new MsfCollector(() -> sample, List::of, () -> 0).collect().stream().toList();

        assertThat(metrics).filteredOn(m -> m.getMetadata().getName().equals("msf_peer_errors"))
                .singleElement().satisfies(errors -> assertThat(errors.getDataPoints()).hasSize(2));
    }

    private static PeerFigures handler(String origin, long errors) {
        return new PeerFigures(1001, "dlna", "HANDLER", origin, "io.x.dlna", 1, 1, 0, 0, 0, 0, errors, 0, 0, 0);
    }
}
