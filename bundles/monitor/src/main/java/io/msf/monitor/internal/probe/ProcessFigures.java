package io.msf.monitor.internal.probe;

/**
 * The process over one sampling period; -1 where unknown.
 *
 * @param heapLive heap bytes in use after the last garbage collection
 * @param heapMax maximum heap bytes
 * @param rssBytes resident set size
 * @param openFiles open file descriptors
 * @param maxOpenFiles their soft limit
 * @param cpuSeconds CPU time of the process so far
 * @param cpuPercent CPU over the period, % of all cores
 * @param gcSeconds GC time so far
 * @param gcPercent GC time over the period, % of the period
 */
public record ProcessFigures(long heapLive, long heapMax, long rssBytes, long openFiles, long maxOpenFiles,
        double cpuSeconds, double cpuPercent, double gcSeconds, double gcPercent) {

    /**
     * The figures between two readings.
     *
     * @param cores processors available to the JVM
     */
    public static ProcessFigures between(ProcessReading previous, ProcessReading current, int cores) {
        long wall = current.nanoTime() - previous.nanoTime();
        double cpuPercent = current.cpuNanos() < 0 ? -1
                : Rates.percent(Rates.increase(previous.cpuNanos(), current.cpuNanos()), (double) wall * cores);
        double gcPercent = Rates.percent(Rates.increase(previous.gcMillis(), current.gcMillis()) * 1e6, wall);
        return new ProcessFigures(current.heapLive(), current.heapMax(), current.rssBytes(), current.openFiles(),
                current.maxOpenFiles(), current.cpuNanos() < 0 ? -1 : current.cpuNanos() / 1e9, cpuPercent,
                current.gcMillis() / 1e3, gcPercent);
    }

    /**
     * Heap in use after the last garbage collection, % of the maximum: what the alert follows, since the
     * used heap of the moment rises and falls with every young collection under fast allocation.
     */
    public double heapPercent() {
        return Rates.percent(heapLive, heapMax);
    }

    /** Open files, % of the soft limit; -1 when either is unknown. */
    public double openFilesPercent() {
        return openFiles < 0 || maxOpenFiles <= 0 ? -1 : Rates.percent(openFiles, maxOpenFiles);
    }
}
