package io.msf.monitor.internal.probe;

/**
 * Raw figures of the process at one moment; -1 where unknown.
 *
 * @param nanoTime {@link System#nanoTime()} when read
 * @param heapLive heap bytes in use after the last garbage collection (see {@link LiveHeap}), used heap
 *     bytes before the first one
 * @param heapMax maximum heap bytes (committed when the JVM has no maximum)
 * @param rssBytes resident set size
 * @param openFiles open file descriptors
 * @param maxOpenFiles their soft limit
 * @param cpuNanos CPU time of the whole process so far
 * @param gcMillis time the application was paused for GC so far (not the concurrent cycles of ZGC or
 *     Shenandoah)
 */
public record ProcessReading(long nanoTime, long heapLive, long heapMax, long rssBytes, long openFiles,
        long maxOpenFiles, long cpuNanos, long gcMillis) {
}
