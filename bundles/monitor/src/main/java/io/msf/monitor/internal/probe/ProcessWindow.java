package io.msf.monitor.internal.probe;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The process's CPU and GC time over a window of several sampling periods: a burst of GC or CPU in
 * one period near a threshold would raise and clear its alert every period, where the share of the
 * window moves slowly. The counters are cumulative, so the figures between the reading that opens the
 * window and the current one are the time-weighted average of the periods between, ticks dropped or not.
 */
public final class ProcessWindow {

    private final ArrayDeque<ProcessReading> readings = new ArrayDeque<>();
    private boolean covered;

    /** @param first the reading the first window opens with */
    public ProcessWindow(ProcessReading first) {
        readings.add(first);
    }

    /**
     * The figures between the newest earlier reading at or before {@code windowNanos} ago and
     * {@code current}, which is kept for the next call. A window shorter than a sampling period gives the
     * figures of the last period. Until the readings first span the window, the CPU and GC shares are
     * unknown (-1, so no alert): the first seconds of a container, its busiest (classes loaded, bundles
     * started), would otherwise raise and clear them on a figure of one or two periods. A window made
     * longer later is taken over what is kept until it spans it again: an open alert is not dropped.
     *
     * @param cores processors available to the JVM
     */
    public ProcessFigures over(ProcessReading current, long windowNanos, int cores) {
        long start = current.nanoTime() - windowNanos;
        while (readings.size() > 1 && second().nanoTime() <= start) {
            readings.removeFirst();
        }
        covered |= readings.peekFirst().nanoTime() <= start;
        ProcessFigures figures = ProcessFigures.between(readings.peekFirst(), current, cores);
        readings.addLast(current);
        return covered ? figures : new ProcessFigures(figures.heapLive(), figures.heapMax(), figures.rssBytes(),
                figures.openFiles(), figures.maxOpenFiles(), figures.cpuSeconds(), -1, figures.gcSeconds(), -1);
    }

    private ProcessReading second() {
        Iterator<ProcessReading> iterator = readings.iterator();
        iterator.next();
        return iterator.next();
    }
}
