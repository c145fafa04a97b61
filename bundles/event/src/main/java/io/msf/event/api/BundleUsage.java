package io.msf.event.api;

/**
 * What one bundle used through msf's executors and shared event loops, since it first got the
 * event-loop service or an executor in its current run (and in this run of the event bundle): the totals
 * go on while the bundle runs, whatever it releases and gets again, and start again once it stopped.
 *
 * @param bundle the bundle's symbolic name
 * @param bundleId its bundle id
 * @param liveThreads threads of its executors alive now
 * @param threadsStarted threads its executors started so far
 * @param threadCpuNanos CPU time of those threads, the ended ones included
 * @param tasksRun tasks it submitted or scheduled on the shared loops that have run
 * @param taskCpuNanos CPU time of those tasks: each task's run time scaled by the CPU share of a random
 *     sample of them whose CPU time is measured (reading a thread's CPU clock for every task would cost
 *     more than a small task itself); a task is accounted when it ends
 */
public record BundleUsage(String bundle, long bundleId, int liveThreads, long threadsStarted, long threadCpuNanos,
        long tasksRun, long taskCpuNanos) {

    /** CPU time of its own threads plus that of its tasks on the shared loops. */
    public long cpuNanos() {
        return threadCpuNanos + taskCpuNanos;
    }
}
