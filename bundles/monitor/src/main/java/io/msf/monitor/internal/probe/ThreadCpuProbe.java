package io.msf.monitor.internal.probe;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * CPU of msf's own threads, told apart by name: the event bundle names its loops {@code msf-<group>-<n>}
 * and the timer its thread {@code msf-timer}. A thread cannot be attributed to the bundle whose task
 * it runs (loops are shared), so CPU is reported per thread group, not per service.
 *
 * <p>A group is the name without the numbers msf puts in it to tell threads or instances of one kind
 * apart: the counter or process id at its end ({@code msf-io-<n>}, {@code msf-proc-<name>-<pid>}) and
 * a client's number ({@code msf-client-<n>-<name>-io}, n counting every client the JVM made, so a
 * bundle that makes its client anew at each activation or hot swap keeps one group). Numbers in the
 * names users chose stay: processes {@code web-1} and {@code web-2} are two groups. A group's CPU total is kept while the
 * group has no live thread, so that it goes on where it was if the group comes back; after
 * {@link #FORGET_IDLE_NANOS} without one it is forgotten (a group that comes back later starts a new
 * total): its series has long gone from the scrapes, and names no folding makes alike cannot pile up.
 */
public final class ThreadCpuProbe {

    /** How long a group's total is kept without a live thread: well beyond Prometheus' 5 min staleness. */
    static final long FORGET_IDLE_NANOS = 10L * 60 * 1_000_000_000L;

    /** The counter or process id msf appends to a thread's name. */
    private static final Pattern TRAILING_NUMBER = Pattern.compile("-\\d+$");
    /** The number of an agent client, which the client library puts right after its prefix. */
    private static final Pattern CLIENT_NUMBER = Pattern.compile("^msf-client-\\d+(?=-|$)");

    private final Supplier<List<ThreadCpu>> threads;
    /** Each thread's CPU at the previous sample, of those measured then: what its use over the period is from. */
    private final Map<Long, Long> lastCpu = new HashMap<>();
    /**
     * Each live thread's CPU as last added to its group's total, measured at the previous sample or not: a
     * thread missed for a sample (its CPU read as -1, threadPrefix changed and back) is no new thread when it
     * is measured again, whose whole CPU would be added once more. Kept while the thread lives.
     */
    private final Map<Long, Long> counted = new HashMap<>();
    private final Map<String, Total> totals = new HashMap<>();
    private long lastNanoTime = -1;

    /** Reads the JVM's threads through {@link ThreadMXBean}. */
    public static ThreadCpuProbe ofJvm() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        return new ThreadCpuProbe(() -> jvmThreads(bean));
    }

    /** @param threads the live threads at each call (tests feed them) */
    public ThreadCpuProbe(Supplier<List<ThreadCpu>> threads) {
        this.threads = threads;
    }

    /** Each thread's CPU over the alert window. */
    private final CpuWindows<Long> windows = new CpuWindows<>();

    /** As {@link #sample(String, long, long)}, the alert window being the sampling period. */
    public List<ThreadGroupFigures> sample(String prefix, long nanoTime) {
        return sample(prefix, nanoTime, 0);
    }

    /**
     * The groups of threads named with {@code prefix}, over the time since the previous call (the
     * first call reports 0 %), and their busiest thread over {@code windowNanos}.
     */
    public List<ThreadGroupFigures> sample(String prefix, long nanoTime, long windowNanos) {
        long wall = lastNanoTime < 0 ? 0 : nanoTime - lastNanoTime;
        lastNanoTime = nanoTime;
        Map<Long, Long> seen = new HashMap<>();
        Map<String, Group> groups = new TreeMap<>();
        List<ThreadCpu> live = threads.get();
        for (ThreadCpu thread : live) {
            if (!thread.name().startsWith(prefix) || thread.cpuNanos() < 0) {
                continue;
            }
            seen.put(thread.id(), thread.cpuNanos());
            Long before = lastCpu.get(thread.id());
            long used = before == null ? 0 : Rates.increase(before, thread.cpuNanos());
            String group = groupOf(thread.name());
            groups.computeIfAbsent(group, g -> new Group()).add(thread.name(), used,
                    windows.percent(thread.id(), nanoTime, thread.cpuNanos(), windowNanos));
            // Counted from the thread's first sighting, so that a group's total never goes backwards
            // when one of its threads ends.
            Total total = totals.computeIfAbsent(group, g -> new Total());
            Long countedBefore = counted.put(thread.id(), thread.cpuNanos());
            total.nanos += countedBefore == null ? thread.cpuNanos() : Rates.increase(countedBefore, thread.cpuNanos());
            total.lastSeen = nanoTime;
        }
        lastCpu.clear();
        lastCpu.putAll(seen);
        Set<Long> liveIds = new HashSet<>();
        live.forEach(thread -> liveIds.add(thread.id()));
        counted.keySet().retainAll(liveIds);
        windows.sampled();
        totals.values().removeIf(total -> nanoTime - total.lastSeen >= FORGET_IDLE_NANOS);
        List<ThreadGroupFigures> figures = new ArrayList<>();
        groups.forEach((name, group) -> figures.add(new ThreadGroupFigures(name, group.threads,
                totals.get(name).nanos / 1e9, Rates.percent(group.nanos, wall), group.hottest,
                Rates.percent(group.hottestNanos, wall), group.hottestWindowPercent)));
        return figures;
    }

    /** Threads whose counted CPU is kept: the live ones measured once, for tests. */
    int threadsCounted() {
        return counted.size();
    }

    /** Groups whose total is kept: those with live threads and those idle for less than the limit. */
    int groupsKept() {
        return totals.size();
    }

    /**
     * {@code msf-worker-3} belongs to {@code msf-worker}, {@code msf-client-7-orders-io} to
     * {@code msf-client-orders-io}, {@code msf-proc-web-1-4242} to {@code msf-proc-web-1};
     * {@code msf-timer} is its own group.
     */
    static String groupOf(String threadName) {
        String withoutCounter = TRAILING_NUMBER.matcher(threadName).replaceFirst("");
        return CLIENT_NUMBER.matcher(withoutCounter).replaceFirst("msf-client");
    }

    private static List<ThreadCpu> jvmThreads(ThreadMXBean bean) {
        List<ThreadCpu> threads = new ArrayList<>();
        if (!bean.isThreadCpuTimeSupported()) {
            return threads;
        }
        // Depth 0: names only, no stack walking.
        for (ThreadInfo info : bean.getThreadInfo(bean.getAllThreadIds(), 0)) {
            if (info != null) {
                threads.add(new ThreadCpu(info.getThreadId(), info.getThreadName(),
                        bean.getThreadCpuTime(info.getThreadId())));
            }
        }
        return threads;
    }

    private static final class Total {
        long nanos;
        long lastSeen;
    }

    private static final class Group {
        int threads;
        long nanos;
        String hottest = "";
        long hottestNanos = -1;
        double hottestWindowPercent = -1;

        void add(String name, long used, double windowPercent) {
            threads++;
            hottestWindowPercent = Math.max(hottestWindowPercent, windowPercent);
            nanos += used;
            if (used > hottestNanos) {
                hottest = name;
                hottestNanos = used;
            }
        }
    }
}
