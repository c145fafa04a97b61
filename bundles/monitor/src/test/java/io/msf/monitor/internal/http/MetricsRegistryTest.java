package io.msf.monitor.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {

    private static List<String> names(MetricSnapshots snapshots) {
        return snapshots.stream().map(snapshot -> snapshot.getMetadata().getPrometheusName()).toList();
    }

    @Test
    void aScrapeServesTheJvmMetricsButNotTheDeadlockDetection() {
        PrometheusRegistry registry = MetricsRegistry.create(() -> new MetricSnapshots(), false);

        List<String> all = names(registry.scrape());
        List<String> served = names(registry.scrape(MetricsRegistry::served));

        assertThat(all).contains("jvm_threads_deadlocked", "jvm_threads_deadlocked_monitor");
        assertThat(served).contains("jvm_threads_current", "jvm_threads_daemon", "jvm_threads_state",
                "jvm_memory_used_bytes")
                .doesNotContain("jvm_threads_deadlocked", "jvm_threads_deadlocked_monitor");
    }

    @Test
    void theBytesAllocatedPerPoolAreServedOnlyWhenAskedFor() {
        PrometheusRegistry without = MetricsRegistry.create(() -> new MetricSnapshots(), false);
        PrometheusRegistry with = MetricsRegistry.create(() -> new MetricSnapshots(), true);
        System.gc(); // the metric's figures come from the collections it has listened to

        assertThat(names(without.scrape(MetricsRegistry::served)))
                .doesNotContain("jvm_memory_pool_allocated_bytes")
                .contains("jvm_memory_used_bytes", "jvm_gc_collection_seconds");
        assertThat(names(with.scrape(MetricsRegistry::served))).contains("jvm_memory_pool_allocated_bytes");
    }

    /** The bytes allocated so far, all pools; -1 if the metric is not served. */
    private static double allocated(PrometheusRegistry registry) {
        return registry.scrape(MetricsRegistry::served).stream()
                .filter(snapshot -> snapshot.getMetadata().getPrometheusName().equals("jvm_memory_pool_allocated_bytes"))
                .flatMap(snapshot -> snapshot.getDataPoints().stream())
                .mapToDouble(point -> ((CounterSnapshot.CounterDataPointSnapshot) point).getValue())
                .reduce(Double::sum).orElse(-1);
    }

    /** Allocates, collects, and waits until {@code witness} has heard of a collection after this call. */
    private static void collectAndWaitFor(PrometheusRegistry witness) {
        double before = allocated(witness);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            byte[][] garbage = new byte[64][];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = new byte[16 * 1024];
            }
            System.gc();
            return garbage.length > 0 && allocated(witness) > before;
        });
    }

    @Test
    void aStoppedEndpointNoLongerListensToTheGarbageCollections() throws Exception {
        // Every change of msf.monitor restarts the endpoint with a new registry: the old one's GC listener
        // must go with it, or the JVM calls one more listener per restart at every collection, for good
        // (and still does after jvmAllocationMetrics is turned off).
        PrometheusRegistry stopped = MetricsRegistry.create(() -> new MetricSnapshots(), true);
        new MetricsServer(InetAddress.getLoopbackAddress(), 0, stopped, List::of).close();
        PrometheusRegistry running = MetricsRegistry.create(() -> new MetricSnapshots(), true);
        MetricsServer server = new MetricsServer(InetAddress.getLoopbackAddress(), 0, running, List::of);
        try {
            collectAndWaitFor(running); // a collection that ended after the first endpoint was stopped
            double afterStop = allocated(stopped);
            collectAndWaitFor(running);

            assertThat(allocated(running)).isPositive();
            assertThat(allocated(stopped)).isEqualTo(afterStop);
        } finally {
            server.close();
        }
    }

    @Test
    void anEndpointThatCannotListenDoesNotListenToTheGarbageCollectionsEither() throws Exception {
        PrometheusRegistry running = MetricsRegistry.create(() -> new MetricSnapshots(), true);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                MetricsServer server = new MetricsServer(InetAddress.getLoopbackAddress(), 0, running, List::of)) {
            PrometheusRegistry failed = MetricsRegistry.create(() -> new MetricSnapshots(), true);
            assertThatIOException().isThrownBy(() -> new MetricsServer(InetAddress.getLoopbackAddress(),
                    taken.getLocalPort(), failed, List::of));
            collectAndWaitFor(running);
            double afterFailure = allocated(failed);
            collectAndWaitFor(running);

            assertThat(allocated(failed)).isEqualTo(afterFailure);
        }
    }

    @Test
    void aMetricLeftOutIsNeverCollected() {
        AtomicInteger collected = new AtomicInteger();
        PrometheusRegistry registry = new PrometheusRegistry();
        GaugeWithCallback.builder().name("jvm_threads_deadlocked").callback(callback -> {
            collected.incrementAndGet();
            callback.call(0);
        }).register(registry);

        MetricSnapshots snapshots = registry.scrape(MetricsRegistry::served);

        assertThat(collected).hasValue(0);
        assertThat(snapshots.stream().map(MetricSnapshot::getMetadata)).isEmpty();
        registry.scrape();
        assertThat(collected).hasValue(1);
    }
}
