package io.msf.monitor.internal.probe;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** Reads the process's own figures from the JVM's MXBeans and /proc/self. */
public final class ProcessProbe {

    private final List<GarbageCollectorMXBean> collectors;
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final ProcFiles proc;
    private final LiveHeap liveHeap;

    public ProcessProbe() {
        this(Paths.get("/proc/self"), ManagementFactory.getGarbageCollectorMXBeans());
    }

    ProcessProbe(Path procSelf, List<GarbageCollectorMXBean> collectors) {
        this.proc = new ProcFiles(procSelf);
        this.liveHeap = new LiveHeap(collectors, ManagementFactory.getMemoryPoolMXBeans());
        this.collectors = collectors.stream().filter(collector -> !isConcurrentCycles(collector.getName())).toList();
    }

    /**
     * The collectors whose time is that of whole concurrent cycles, spent beside the application rather
     * than stopping it: ZGC's and Shenandoah's {@code ... Cycles} beans (ZGC Cycles, ZGC Minor/Major
     * Cycles, Shenandoah Cycles), each beside a {@code ... Pauses} bean with the pauses of the same
     * cycles. The JMX API has no flag for it (GarbageCollectorMXBean says nothing of concurrency), so
     * HotSpot's names tell. G1's beans all count pauses: Young and Old Generation (a full GC), and, from
     * JDK 20, G1 Concurrent GC, which despite its name counts only the Remark and Cleanup pauses of a
     * concurrent cycle; Serial's and Parallel's are stop-the-world anyway.
     */
    static boolean isConcurrentCycles(String collectorName) {
        return collectorName != null && collectorName.endsWith(" Cycles");
    }

    public ProcessReading read() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long heapMax = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        long gcMillis = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            gcMillis += Math.max(0, collector.getCollectionTime());
        }
        return new ProcessReading(System.nanoTime(), liveHeap.read(heap.getUsed()), heapMax, proc.rssBytes(), openFiles(),
                maxOpenFiles(), cpuNanos(), gcMillis);
    }

    /**
     * Through the com.sun extension where it exists: it counts /proc/self/fd natively and asks getrlimit,
     * where reading /proc in Java creates a Path per descriptor and parses /proc/self/limits at every sample
     * (a fifth of a sample's cost, measured with JFR under bench/monitor).
     */
    private long openFiles() {
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount()
                : proc.openFiles();
    }

    private long maxOpenFiles() {
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long limit = unix.getMaxFileDescriptorCount();
            // RLIM_INFINITY arrives as a huge or negative number: no limit, so no alert
            return limit <= 0 || limit == Long.MAX_VALUE ? -1 : limit;
        }
        return proc.maxOpenFiles();
    }

    private long cpuNanos() {
        // The process CPU time is only offered by the com.sun extension (HotSpot, OpenJ9 both have it).
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }
}
