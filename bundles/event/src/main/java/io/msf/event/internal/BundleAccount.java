package io.msf.event.internal;

import io.msf.event.api.BundleUsage;
import io.msf.text.BundleName;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.framework.Bundle;

/**
 * One bundle's threads and CPU time: its executor threads (live ones read from the JVM, ended ones
 * by their last reading) and its tasks on the shared loops.
 */
final class BundleAccount {

    /**
     * One task in this many has its CPU time measured: reading a thread's CPU clock twice costs ~3 µs
     * here, far more than a small task (see bench/ TaskCpuAccountingBenchmark).
     */
    static final int TASK_SAMPLING = 64;

    /**
     * Numbers the accounts ({@link BundleUsage#account}): from the clock at class loading, so that the
     * accounts of an updated event bundle (a new class loader) are not numbered as the old one's were.
     */
    private static final AtomicLong ACCOUNTS = new AtomicLong(Math.max(1, System.currentTimeMillis()) << 20);

    private final Bundle owner;
    private final String bundle;
    private final long bundleId;
    private final long account = ACCOUNTS.incrementAndGet();
    private final ThreadMXBean threads;
    /** Guarded by itself, together with {@link #endedCpuNanos}: a thread moves from one to the other at once. */
    private final Set<Thread> live = new HashSet<>();
    private long endedCpuNanos;
    private long threadsStarted;
    /** The bundle's views (event loops, executors) that use this account now. */
    private int holders;
    /**
     * Guarded by {@link #live}: the bundle's views a swap released (msf.event changed) whose queued tasks it
     * left to run. No view the bundle holds now reaches them, and a stop of the bundle must end them too.
     * Those drained meanwhile are dropped as others come.
     */
    private final List<LoopView> leftOver = new ArrayList<>();
    private final LongAdder tasksRun = new LongAdder();
    /** Wall-clock time of every task. */
    private final LongAdder taskWallNanos = new LongAdder();
    /** CPU and wall-clock time of the measured tasks: their ratio turns all tasks' wall-clock time into CPU. */
    private final LongAdder measuredCpuNanos = new LongAdder();
    private final LongAdder measuredWallNanos = new LongAdder();
    /** Guarded by {@link #live}: turns the tasks' wall-clock time into CPU time, a stretch at a time. */
    private final TaskCpuPricing taskCpu = new TaskCpuPricing();
    /**
     * The tasks the bundle's views hold not yet done, every view of it together: the bound on them
     * (msf.event maxPendingTasksPerBundle) is the bundle's, however many views it holds.
     */
    private final AtomicInteger pendingTasks = new AtomicInteger();

    BundleAccount(Bundle owner, ThreadMXBean threads) {
        this.owner = owner;
        this.bundle = BundleName.of(owner.getSymbolicName(), owner.getBundleId());
        this.bundleId = owner.getBundleId();
        this.threads = threads;
    }

    String bundle() {
        return bundle;
    }

    long bundleId() {
        return bundleId;
    }

    /**
     * Wraps a task for a shared loop so that it is counted and its CPU time accounted: every task's
     * wall-clock time (cheap to read) is summed, and the CPU/wall ratio of the measured ones turns the
     * sum into CPU time ({@link TaskCpuPricing}). A ratio of sums, not a count of measured tasks times
     * {@value #TASK_SAMPLING}: one long task would otherwise show up as a burst 64 times its size, or not at all.
     */
    Runnable measured(Runnable task) {
        return () -> {
            boolean measure = ThreadLocalRandom.current().nextInt(TASK_SAMPLING) == 0;
            long cpuBefore = measure ? threads.getCurrentThreadCpuTime() : -1;
            long start = System.nanoTime();
            try {
                task.run();
            } finally {
                long wall = Math.max(0, System.nanoTime() - start);
                long cpuAfter = measure ? threads.getCurrentThreadCpuTime() : -1;
                tasksRun.increment();
                taskWallNanos.add(wall);
                if (cpuBefore >= 0 && cpuAfter >= cpuBefore) {
                    measuredCpuNanos.add(cpuAfter - cpuBefore);
                    measuredWallNanos.add(wall);
                }
            }
        };
    }

    /** Called on a new executor thread before it runs anything. */
    void threadStarted(Thread thread) {
        synchronized (live) {
            live.add(thread);
            threadsStarted++;
        }
    }

    /**
     * Called by an executor thread as its last act: its CPU time moves to the ended total.
     *
     * @return true if the account is now of no further use (see {@link #unused})
     */
    boolean threadEnded(Thread thread) {
        synchronized (live) {
            // Read inside the lock: a usage() between an earlier reading and the removal could see more CPU
            // than is then kept, and the bundle's total would go backwards.
            long cpu = threads.getCurrentThreadCpuTime();
            live.remove(thread);
            endedCpuNanos += Math.max(0, cpu);
            return unused();
        }
    }

    /** The tasks the bundle's views hold not yet done. */
    int pendingTasks() {
        return pendingTasks.get();
    }

    /** One more task in one of the bundle's views ({@code +1}), or one less ({@code -1}). */
    void pendingTasks(int delta) {
        pendingTasks.addAndGet(delta);
    }

    /** One more of the bundle's views uses the account. */
    void hold() {
        synchronized (live) {
            holders++;
        }
    }

    /** A swap released {@code view} and left what it queued to run. */
    void leftOver(LoopView view) {
        synchronized (live) {
            leftOver.removeIf(LoopView::drained);
            leftOver.add(view);
        }
    }

    /** The views a swap released that may have tasks left, forgotten here: the bundle stopped. */
    List<LoopView> takeLeftOver() {
        synchronized (live) {
            List<LoopView> taken = new ArrayList<>(leftOver);
            leftOver.clear();
            return taken;
        }
    }

    /**
     * True if the account can go: no view holds it, no thread of its is left, and its bundle stopped. A
     * bundle that runs on keeps it without a view (its one user of the services restarting, the event-loop
     * groups replaced): its totals go on rather than start again from zero, which a monitor would read as a
     * counter that dropped.
     */
    boolean unused() {
        synchronized (live) {
            return holders == 0 && live.isEmpty()
                    && (owner.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) == 0;
        }
    }

    /**
     * One of the bundle's views was released.
     *
     * @return true if the account can go (see {@link #unused})
     */
    boolean release() {
        synchronized (live) {
            holders--;
            return unused();
        }
    }

    BundleUsage usage() {
        synchronized (live) {
            long cpu = endedCpuNanos;
            for (Thread thread : live) {
                cpu += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
            return new BundleUsage(bundle, bundleId, live.size(), threadsStarted, cpu, tasksRun.sum(),
                    taskCpu.price(taskWallNanos.sum(), measuredCpuNanos.sum(), measuredWallNanos.sum()), account);
        }
    }
}
