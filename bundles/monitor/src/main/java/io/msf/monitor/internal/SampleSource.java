package io.msf.monitor.internal;

import java.util.function.Supplier;
import org.osgi.service.log.Logger;

/**
 * One source of a sample (the memory pool, the timers, the agent's peers, ...), read on its own: one that
 * throws gives its last good reading, so that the sample is still taken and the others' figures, the
 * process alerts among them, still count. Its counters stay where they were rather than fall to 0, which
 * a Prometheus counter reads as a reset, and its peers and accounts do not look gone, to be counted again
 * when they are read once more. A failure is logged once, naming the source, and its end once: not at
 * every sample, which at 1 Hz is 86,400 lines a day.
 *
 * <p>Not thread safe: read by the monitor's sampling thread only.
 */
final class SampleSource<T> {

    private final String name;
    private final Logger log;
    private T lastGood;
    private int failedReads;

    /** {@code none}: what stands for it until it is first read. */
    SampleSource(String name, T none, Logger log) {
        this.name = name;
        this.lastGood = none;
        this.log = log;
    }

    T read(Supplier<T> read) {
        T value;
        try {
            value = read.get();
        } catch (RuntimeException e) {
            if (failedReads++ == 0) {
                log.warn("{}: {} cannot be read; its figures stay as last read until it can", Monitor.PID, name, e);
            }
            return lastGood;
        }
        if (failedReads > 0) {
            log.info("{}: {} is read again, after {} sample(s) without it", Monitor.PID, name, failedReads);
            failedReads = 0;
        }
        lastGood = value;
        return value;
    }
}
