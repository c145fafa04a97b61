package io.msf.monitor.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.monitor.internal.Snapshot;
import io.msf.monitor.internal.probe.PeerFigures;
import io.msf.monitor.internal.probe.ProcessFigures;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MsfCollectorTest {

    @Test
    void twoVersionsOfOneHandlerAreTwoSeries() {
        // During a hot swap both versions' handlers answer to the same name and id, from bundles
        // with the same symbolic name: only their bundle's version tells them apart.
        Snapshot sample = new Snapshot(Instant.EPOCH, new ProcessFigures(1, 2, 3, 4, 5, 6, 7, 8, 9), List.of(),
                List.of(), List.of(handler("bundle io.x.dlna 1.0.0, service 40", 5),
                        handler("bundle io.x.dlna 1.1.0, service 41", 0)));

        List<MetricSnapshot> metrics = new MsfCollector(() -> sample, List::of, () -> 0).collect().stream().toList();

        assertThat(metrics).filteredOn(m -> m.getMetadata().getName().equals("msf_peer_errors"))
                .singleElement().satisfies(errors -> assertThat(errors.getDataPoints()).hasSize(2));
    }

    @Test
    void aPeerThatReconnectsKeepsItsSeries() {
        // Each connection comes from a new ephemeral port and, unnamed, gets a new id from the agent:
        // labelled by them, every reconnection would be a new series in Prometheus, without end.
        List<Labels> first = peerLabels(tcp(0x8000_0001, "player", "tcp 127.0.0.1:40000"),
                tcp(0x8000_0002, "", "tcp 127.0.0.1:40001"));
        List<Labels> later = peerLabels(tcp(0x8000_0007, "player", "tcp 127.0.0.1:40123"),
                tcp(0x8000_0009, "", "tcp 127.0.0.1:40177"));

        assertThat(later).isEqualTo(first).containsExactlyInAnyOrder(
                Labels.of("kind", "TCP", "peer", "player", "service", "player", "version", ""),
                Labels.of("kind", "TCP", "peer", "", "service", "(unnamed)", "version", ""));
    }

    @Test
    void aHandlerKeepsItsSeriesAcrossARestartOfItsBundle() {
        assertThat(peerLabels(handler("bundle io.x.dlna 1.0.0, service 40", 0)))
                .isEqualTo(peerLabels(handler("bundle io.x.dlna 1.0.0, service 57", 0)))
                .containsExactly(Labels.of("kind", "HANDLER", "peer", "dlna", "service", "io.x.dlna", "version", "1.0.0"));
    }

    @Test
    void peersOfOneSeriesAddUp() {
        Snapshot sample = sample(tcp(0x8000_0001, "", "tcp 127.0.0.1:40000"),
                tcp(0x8000_0002, "", "tcp 127.0.0.1:40001"));

        List<MetricSnapshot> metrics = new MsfCollector(() -> sample, List::of, () -> 0).collect().stream().toList();

        assertThat(metrics).filteredOn(m -> m.getMetadata().getName().equals("msf_peer_errors")).singleElement()
                .satisfies(errors -> assertThat(errors.getDataPoints()).singleElement()
                        .satisfies(point -> assertThat(((CounterDataPointSnapshot) point).getValue()).isEqualTo(6)));
    }

    /**
     * A counter that goes down is a reset to Prometheus, which then counts all it holds as new: rate()
     * spiked each time one of the connections summed into a series ended.
     */
    @Test
    void aSeriesCounterDoesNotGoDownWhenOneOfItsPeersLeavesOrReconnects() {
        AtomicReference<Snapshot> sample = new AtomicReference<>(sample(tcp(0x8000_0001, "", "tcp 127.0.0.1:40000"),
                tcp(0x8000_0002, "", "tcp 127.0.0.1:40001"), tcp(7, "player", "tcp 127.0.0.1:40002")));
        MsfCollector collector = new MsfCollector(sample::get, List::of, () -> 0);
        assertThat(errors(collector)).containsExactlyInAnyOrder(6.0, 3.0);

        // one unnamed connection ends; player reconnects (its counts start again on the new connection)
        sample.set(sample(tcp(0x8000_0002, "", "tcp 127.0.0.1:40001"), tcp(7, "player", "tcp 127.0.0.1:40177")));

        assertThat(errors(collector)).containsExactlyInAnyOrder(6.0, 6.0);
    }

    private static List<Double> errors(MsfCollector collector) {
        return collector.collect().stream().filter(m -> m.getMetadata().getName().equals("msf_peer_errors"))
                .flatMap(m -> m.getDataPoints().stream()).map(p -> ((CounterDataPointSnapshot) p).getValue()).toList();
    }

    /**
     * Two scrapes at once: A reads sample N, sample N+1 comes, B scrapes it whole, then A updates the peer
     * counters. A took N's lower counts for a new connection's and booked the live one's whole total as ended:
     * the counter rose by it for good (11 errors in all read as 21).
     */
    @Test
    void aScrapeOvertakenByANewerSampleDoesNotInflateThePeerCounters() throws Exception {
        AtomicReference<Snapshot> latest = new AtomicReference<>(sample(player(9)));
        CountDownLatch aRead = new CountDownLatch(1);
        CountDownLatch bDone = new CountDownLatch(1);
        Thread scrapeA = Thread.currentThread();
        AtomicBoolean aWaited = new AtomicBoolean();
        MsfCollector collector = new MsfCollector(() -> {
            Snapshot read = latest.get();
            if (Thread.currentThread() == scrapeA && aWaited.compareAndSet(false, true)) {
                aRead.countDown();
                await(bDone);
            }
            return read;
        }, List::of, () -> 0);
        Thread scrapeB = new Thread(() -> {
            await(aRead);
            latest.set(sample(player(10)));
            collector.collect();
            bDone.countDown();
        });
        scrapeB.start();

        collector.collect();
        scrapeB.join(10_000);
        latest.set(sample(player(11)));

        assertThat(errors(collector.collect())).containsExactly(11.0);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Double> errors(MetricSnapshots metrics) {
        return metrics.stream().filter(m -> m.getMetadata().getName().equals("msf_peer_errors"))
                .flatMap(m -> m.getDataPoints().stream()).map(p -> ((CounterDataPointSnapshot) p).getValue()).toList();
    }

    /** One connection, the same all along, that has caused {@code errors} errors so far. */
    private static PeerFigures player(long errors) {
        String origin = "tcp 127.0.0.1:40001";
        return new PeerFigures(7, "player", "TCP", origin, PeerFigures.serviceOf(false, origin, 7, "player"), 1, 1, 0,
                0, 0, 0, errors, 0, 0, 0);
    }

    private static List<Labels> peerLabels(PeerFigures... peers) {
        Snapshot sample = sample(peers);
        return new MsfCollector(() -> sample, List::of, () -> 0).collect().stream()
                .filter(m -> m.getMetadata().getName().equals("msf_peer_errors"))
                .flatMap(m -> m.getDataPoints().stream()).map(DataPointSnapshot::getLabels).toList();
    }

    private static Snapshot sample(PeerFigures... peers) {
        return new Snapshot(Instant.EPOCH, new ProcessFigures(1, 2, 3, 4, 5, 6, 7, 8, 9), List.of(), List.of(),
                List.of(peers));
    }

    /** A connection as AgentSampler copies it; {@code claimed}: the name it claimed, or empty. */
    private static PeerFigures tcp(int id, String claimed, String origin) {
        return new PeerFigures(id, PeerFigures.displayName(id, claimed), "TCP", origin,
                PeerFigures.serviceOf(false, origin, id, claimed), 1, 1, 0, 0, 0, 0, 3, 0, 0, 0);
    }

    private static PeerFigures handler(String origin, long errors) {
        return new PeerFigures(1001, "dlna", "HANDLER", origin, "io.x.dlna", 1, 1, 0, 0, 0, 0, errors, 0, 0, 0);
    }
}
