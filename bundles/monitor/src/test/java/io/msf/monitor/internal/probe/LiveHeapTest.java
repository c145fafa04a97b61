package io.msf.monitor.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.monitor.internal.probe.LiveHeap.Collection;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveHeapTest {

    private static final long MB = 1024 * 1024;
    private static volatile Object sink;

    @Test
    void garbageAllocatedSinceTheLastCollectionIsNotCounted() {
        // a collection may come in the middle of the allocation: then the attempt tells nothing, try again
        for (int attempt = 0; attempt < 20; attempt++) {
            long collections = collections();
            long liveAfterGc = new ProcessProbe().read().heapLive();
            // G1 counts a young region as used once it is handed out: allocate until the used heap shows it
            for (int i = 0; i < 64 * 16 && used() < liveAfterGc + 4 * MB; i++) {
                sink = new byte[64 * 1024]; // below G1's humongous size, so into the young generation
            }
            long used = used();
            ProcessReading reading = new ProcessProbe().read();
            if (collections() != collections) {
                continue;
            }
            assertThat(used).as("the used heap counts the garbage").isGreaterThanOrEqualTo(liveAfterGc + 4 * MB);
            assertThat(reading.heapLive()).as("the live heap does not").isEqualTo(liveAfterGc);
            return;
        }
        throw new AssertionError("a collection came during every one of 20 attempts");
    }

    @Test
    void takesTheLatestCollectionThatReclaimedYoungObjects() {
        // G1 on JDK 25: a Remark pause after the young collection reports the heap of its moment
        assertThat(LiveHeap.after(List.of(new Collection("G1 Young Generation", 400, 30 * MB),
                new Collection("G1 Concurrent GC", 437, 90 * MB), new Collection("G1 Old Generation", 100, 20 * MB)),
                95 * MB)).isEqualTo(30 * MB);
        // a full collection after the young one
        assertThat(LiveHeap.after(List.of(new Collection("G1 Young Generation", 400, 30 * MB),
                new Collection("G1 Old Generation", 500, 20 * MB)), 95 * MB)).isEqualTo(20 * MB);
        // ZGC and Shenandoah: the pauses' beans read 0 after each pause, the cycles' beans carry the heap
        assertThat(LiveHeap.after(List.of(new Collection("ZGC Minor Cycles", 700, 40 * MB),
                new Collection("ZGC Minor Pauses", 736, 0), new Collection("ZGC Major Cycles", 685, 10 * MB)),
                60 * MB)).isEqualTo(40 * MB);
        assertThat(LiveHeap.after(List.of(new Collection("Shenandoah Pauses", 698, 0),
                new Collection("Shenandoah Cycles", 698, 10 * MB)), 48 * MB)).isEqualTo(10 * MB);
    }

    @Test
    void beforeAnyCollectionTheUsedHeapStands() {
        assertThat(LiveHeap.after(List.of(), 12 * MB)).isEqualTo(12 * MB);
        assertThat(LiveHeap.after(List.of(new Collection("G1 Concurrent GC", 5, 3 * MB)), 12 * MB))
                .isEqualTo(12 * MB);
        assertThat(LiveHeap.after(List.of(new Collection("Copy", 5, -1)), 12 * MB)).isEqualTo(12 * MB);
    }

    private static long used() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long collections() {
        long count = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount());
        }
        return count;
    }
}
