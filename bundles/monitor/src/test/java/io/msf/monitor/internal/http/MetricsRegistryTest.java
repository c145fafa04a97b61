package io.msf.monitor.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
