package io.msf.monitor.internal.probe;

/**
 * msf threads of one name group ({@code msf-worker} for msf-worker-1..n) over one sampling period.
 *
 * @param group the name without its {@code -<n>} suffix
 * @param threads live threads
 * @param cpuSeconds CPU time of the group so far (threads that ended included)
 * @param cpuPercent CPU of all its threads over the period, % of one core
 * @param hottestThread the name of its busiest thread over the period
 * @param hottestPercent that thread's CPU, % of one core
 * @param hottestWindowPercent the CPU of its busiest thread over the alert window (alertWindowMillis), % of
 *     one core, or -1 while none of its threads has been seen for a full window: what the thread CPU alert follows
 */
public record ThreadGroupFigures(String group, int threads, double cpuSeconds, double cpuPercent,
        String hottestThread, double hottestPercent, double hottestWindowPercent) {

    /** A group whose alert window is the one sampling period. */
    public ThreadGroupFigures(String group, int threads, double cpuSeconds, double cpuPercent, String hottestThread,
            double hottestPercent) {
        this(group, threads, cpuSeconds, cpuPercent, hottestThread, hottestPercent, hottestPercent);
    }
}
