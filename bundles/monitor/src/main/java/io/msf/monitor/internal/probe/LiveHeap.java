package io.msf.monitor.internal.probe;

import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The heap in use after the last garbage collection: what the live objects (and the old garbage no
 * collection has reached yet) hold. The used heap read at any moment also counts every object
 * allocated since that collection, most of them already garbage, so under fast allocation it saw-tooths
 * between the live figure and nearly the whole young generation, and a threshold on it is crossed and
 * left at each collection.
 *
 * <p>The per-pool collection usage ({@link MemoryPoolMXBean#getCollectionUsage()}) is not enough: G1
 * and Serial leave the old generation's at 0 until a full or old collection, so the objects promoted by
 * the young ones would be missed. The last collection's {@link GcInfo} holds every pool after it.
 */
public final class LiveHeap {

    /**
     * One collector's last collection.
     *
     * @param collector the collector's name
     * @param endMillis when it ended, ms since the JVM started
     * @param heapAfter heap pools' usage after it, bytes; -1 if it reports none
     */
    public record Collection(String collector, long endMillis, long heapAfter) {
    }

    private final List<GarbageCollectorMXBean> collectors;
    private final Set<String> heapPools;

    public LiveHeap(List<GarbageCollectorMXBean> collectors, List<MemoryPoolMXBean> pools) {
        this.collectors = List.copyOf(collectors);
        this.heapPools = pools.stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName).collect(Collectors.toUnmodifiableSet());
    }

    /** The heap in use after the last collection, or {@code usedNow} before the first one. */
    public long read(long usedNow) {
        List<Collection> last = new ArrayList<>();
        for (GarbageCollectorMXBean collector : collectors) {
            if (collector instanceof com.sun.management.GarbageCollectorMXBean sun) {
                GcInfo info = sun.getLastGcInfo();
                if (info != null) {
                    last.add(new Collection(collector.getName(), info.getEndTime(), heapAfter(info)));
                }
            }
        }
        return after(last, usedNow);
    }

    /**
     * The heap after the latest collection that reclaimed the young objects; {@code usedNow} if there was
     * none. Left out: the {@code ... Pauses} beans of ZGC and Shenandoah, whose heap pools read 0 after
     * each pause (their {@code ... Cycles} beans carry the figure), and G1 Concurrent GC (JDK 20 on),
     * whose Remark and Cleanup pauses collect no young region: its "after" is the heap of that moment,
     * young garbage included (both seen on JDK 17 and 25).
     */
    static long after(List<Collection> collections, long usedNow) {
        Collection latest = null;
        for (Collection collection : collections) {
            if (!reclaimsYoungObjects(collection.collector()) || collection.heapAfter() < 0) {
                continue;
            }
            if (latest == null || collection.endMillis() > latest.endMillis()) {
                latest = collection;
            }
        }
        return latest == null ? usedNow : latest.heapAfter();
    }

    private static boolean reclaimsYoungObjects(String collector) {
        return !collector.endsWith(" Pauses") && !"G1 Concurrent GC".equals(collector);
    }

    private long heapAfter(GcInfo info) {
        long sum = 0;
        boolean any = false;
        for (Map.Entry<String, MemoryUsage> pool : info.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                sum += pool.getValue().getUsed();
                any = true;
            }
        }
        return any ? sum : -1;
    }
}
