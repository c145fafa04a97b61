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

    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final ProcFiles proc;

    public ProcessProbe() {
        this(Paths.get("/proc/self"));
    }

    ProcessProbe(Path procSelf) {
        this.proc = new ProcFiles(procSelf);
    }

    public ProcessReading read() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long heapMax = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        long gcMillis = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            gcMillis += Math.max(0, collector.getCollectionTime());
        }
        return new ProcessReading(System.nanoTime(), heap.getUsed(), heapMax, proc.rssBytes(), openFiles(),
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
