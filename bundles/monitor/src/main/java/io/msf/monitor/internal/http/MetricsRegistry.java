package io.msf.monitor.internal.http;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;

/** What /metrics serves: the JVM and process metrics of the Prometheus client, and msf's own. */
public final class MetricsRegistry {

    /**
     * Left out of every scrape: the client's thread metrics compute these two with the JVM's
     * deadlock detection, and each is a stop-the-world pause of every thread at every scrape
     * (bench/monitor measured two per scrape). A name filtered out is never collected.
     */
    private static final Set<String> STOP_THE_WORLD = Set.of("jvm_threads_deadlocked", "jvm_threads_deadlocked_monitor");

    private MetricsRegistry() {
    }

    /** Whether /metrics serves the metric of this Prometheus name (for {@code PrometheusRegistry.scrape}). */
    public static boolean served(String prometheusName) {
        return !STOP_THE_WORLD.contains(prometheusName);
    }

    /**
     * A registry of its own (never the client's default one), so that a restart of the monitor never
     * meets its old collectors. The JVM metrics are the client's standard set without native memory
     * tracking, which runs a JVM diagnostic command at every scrape and is off in most JVMs anyway,
     * and without the bytes allocated per memory pool unless asked for: that metric listens to every
     * garbage collection, and the JVM then builds a notification, with the usage of every pool before
     * and after, at each one whether anyone scrapes or not (2 % of the container's CPU while the agent
     * routed 180,000 requests a second: bench/RESULTS.md, 2026-11-29 22:30).
     *
     * @param allocationMetrics whether to serve {@code jvm_memory_pool_allocated_bytes_total}
     * @return a registry to {@linkplain #release release} when it is no longer served
     */
    public static PrometheusRegistry create(MultiCollector msf, boolean allocationMetrics) {
        Registry registry = new Registry();
        PrometheusProperties properties = PrometheusProperties.get();
        JvmThreadsMetrics.builder(properties).register(registry);
        JvmBufferPoolMetrics.builder(properties).register(registry);
        JvmClassLoadingMetrics.builder(properties).register(registry);
        JvmCompilationMetrics.builder(properties).register(registry);
        JvmGarbageCollectorMetrics.builder(properties).register(registry);
        if (allocationMetrics) {
            registry.allocation = AllocationMetrics.register(registry);
        }
        JvmMemoryMetrics.builder(properties).register(registry);
        JvmRuntimeInfoMetric.builder(properties).register(registry);
        ProcessMetrics.builder(properties).register(registry);
        registry.register(msf);
        return registry;
    }

    /** Takes what a registry of {@link #create} added to the JVM (the GC listener) off again. */
    public static void release(PrometheusRegistry registry) {
        if (registry instanceof Registry created && created.allocation != null) {
            created.allocation.close();
        }
    }

    private static final class Registry extends PrometheusRegistry {
        private AllocationMetrics allocation;
    }
}
