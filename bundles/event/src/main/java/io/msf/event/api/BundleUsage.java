package io.msf.event.api;

/**
 * What one bundle used through msf's executors and shared event loops, in this run of the event bundle.
 *
 * <p>The figures are totals of the bundle's account, which opens when the bundle first gets the event-loop
 * service or an executor and lasts until the bundle has stopped and the last thread of its executors has
 * ended (a thread may outlive the stop). While the bundle runs its totals go on, whatever it releases and
 * gets again: a restart of its user of the services (a component reconfigured, a reference that came back)
 * or a replacement of the event loops does not start them again. Once the account is gone, the bundle's
 * next use opens a new one, from zero; a bundle started again before its account went keeps counting in it.
 *
 * @param bundle the bundle's symbolic name
 * @param bundleId its bundle id
 * @param liveThreads threads of its executors alive now
 * @param threadsStarted threads its executors started since the account opened
 * @param threadCpuNanos CPU time of those threads, the ended ones included
 * @param tasksRun tasks it gave the shared loops through the service's {@code submit} and {@code schedule}
 *     that have run, counted when each ends (one that threw included); not what it runs on a group it took
 *     from {@code group(name)}, nor its channels' I/O
 * @param taskCpuNanos an estimate of the CPU time of those tasks: their run (wall-clock) time, priced at the
 *     CPU/wall ratio of a random sample of them whose CPU time is measured (one in 64: reading a thread's CPU
 *     clock for every task would cost more than a small task itself); a task is accounted when it ends
 * @param account which account these are the totals of: another for each account opened, within the JVM
 *     (the event bundle updated included), so that a new account of a bundle, counting from zero, is told
 *     from its old one going on; 0 if unknown
 * @since 1.3
 */
public record BundleUsage(String bundle, long bundleId, int liveThreads, long threadsStarted, long threadCpuNanos,
        long tasksRun, long taskCpuNanos, long account) {

    /** Figures of an account not told apart from others ({@code account} 0), as before 1.3. */
    public BundleUsage(String bundle, long bundleId, int liveThreads, long threadsStarted, long threadCpuNanos,
            long tasksRun, long taskCpuNanos) {
        this(bundle, bundleId, liveThreads, threadsStarted, threadCpuNanos, tasksRun, taskCpuNanos, 0);
    }

    /** CPU time of its own threads plus that of its tasks on the shared loops. */
    public long cpuNanos() {
        return threadCpuNanos + taskCpuNanos;
    }
}
