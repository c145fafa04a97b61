package io.msf.monitor.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.GarbageCollectorMXBean;
import java.nio.file.Paths;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class ProcessProbeTest {

    @Test
    void gcTimeCountsThePausesOfZgcAndShenandoahNotTheirConcurrentCycles() {
        ProcessProbe zgc = probe(new Collector("ZGC Cycles", 9_000), new Collector("ZGC Pauses", 12));
        assertThat(zgc.read().gcMillis()).isEqualTo(12);
        ProcessProbe generationalZgc = probe(new Collector("ZGC Minor Cycles", 4_000),
                new Collector("ZGC Minor Pauses", 3), new Collector("ZGC Major Cycles", 7_000),
                new Collector("ZGC Major Pauses", 5));
        assertThat(generationalZgc.read().gcMillis()).isEqualTo(8);
        ProcessProbe shenandoah = probe(new Collector("Shenandoah Cycles", 2_000),
                new Collector("Shenandoah Pauses", 40));
        assertThat(shenandoah.read().gcMillis()).isEqualTo(40);
    }

    @Test
    void gcTimeCountsEveryG1Bean() {
        // G1 Concurrent GC (JDK 20 on) counts the Remark and Cleanup pauses, not the concurrent marking
        ProcessProbe g1 = probe(new Collector("G1 Young Generation", 100), new Collector("G1 Old Generation", 50),
                new Collector("G1 Concurrent GC", 7));
        assertThat(g1.read().gcMillis()).isEqualTo(157);
    }

    private static ProcessProbe probe(GarbageCollectorMXBean... collectors) {
        return new ProcessProbe(Paths.get("/proc/self"), List.of(collectors));
    }

    /** A collector as the JVM describes it: its name and the time it has counted. */
    private record Collector(String getName, long getCollectionTime) implements GarbageCollectorMXBean {

        @Override
        public long getCollectionCount() {
            return 1;
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public String[] getMemoryPoolNames() {
            return new String[0];
        }

        @Override
        public ObjectName getObjectName() {
            return null;
        }
    }
}
