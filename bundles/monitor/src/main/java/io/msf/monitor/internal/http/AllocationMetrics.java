package io.msf.monitor.internal.http;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * {@code jvm_memory_pool_allocated_bytes_total}, counted as the Prometheus client's
 * {@code JvmMemoryPoolAllocationMetrics} counts it (from the pool usage before and after each
 * collection), but with a listener that {@link #close} takes off the collectors again: the client's
 * stays on the JVM's collector MXBeans for good, so each restart of the endpoint (every change of
 * msf.monitor) added one more that the JVM called at every collection, also once
 * {@code jvmAllocationMetrics} was turned off, and kept the monitor's class loader after an update.
 */
final class AllocationMetrics implements NotificationListener, AutoCloseable {

    private final Counter counter;
    private final Map<String, Long> lastUsage = new HashMap<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();

    private AllocationMetrics(Counter counter) {
        this.counter = counter;
    }

    static AllocationMetrics register(PrometheusRegistry registry) {
        AllocationMetrics metrics = new AllocationMetrics(Counter.builder()
                .name("jvm_memory_pool_allocated_bytes_total")
                .help("Total bytes allocated in a given JVM memory pool. Only updated after GC, not continuously.")
                .labelNames("pool")
                .register(registry));
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(metrics, null, null);
                metrics.emitters.add(emitter);
            }
        }
        return metrics;
    }

    @Override
    public synchronized void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
        Map<String, MemoryUsage> after = info.getMemoryUsageAfterGc();
        info.getMemoryUsageBeforeGc().forEach((pool, before) -> {
            MemoryUsage then = after.get(pool);
            if (then != null) {
                count(pool, before.getUsed(), then.getUsed());
            }
        });
    }

    /** Allocated in a pool: what it grew by since the last collection left it, and during this one. */
    private void count(String pool, long before, long after) {
        Long last = lastUsage.put(pool, after);
        long sinceLast = Math.max(0, before - (last == null ? 0 : last));
        long during = Math.max(0, after - before);
        if (sinceLast + during > 0) {
            counter.labelValues(pool).inc(sinceLast + during);
        }
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(this);
            } catch (ListenerNotFoundException e) {
                // already off
            }
        }
        emitters.clear();
    }
}
