package io.msf.monitor.internal.probe;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * CPU of msf's own threads, told apart by name: the event bundle names its loops {@code msf-<group>-<n>}
 * and the timer its thread {@code msf-timer}. A thread cannot be attributed to the bundle whose task
 * it runs (loops are shared), so CPU is reported per thread group, not per service.
 */
public final class ThreadCpuProbe {

    private static final Pattern NUMBER_SUFFIX = Pattern.compile("-\\d+$");

    private final Supplier<List<ThreadCpu>> threads;
    private final Map<Long, Long> lastCpu = new HashMap<>();
    private final Map<String, Long> groupNanos = new HashMap<>();
    private long lastNanoTime = -1;

    /** Reads the JVM's threads through {@link ThreadMXBean}. */
    public static ThreadCpuProbe ofJvm() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        return new ThreadCpuProbe(() -> jvmThreads(bean));
    }

    ThreadCpuProbe(Supplier<List<ThreadCpu>> threads) {
        this.threads = threads;
    }

    /**
     * The groups of threads named with {@code prefix}, over the time since the previous call (the
     * first call reports 0 %).
     */
    public List<ThreadGroupFigures> sample(String prefix, long nanoTime) {
        long wall = lastNanoTime < 0 ? 0 : nanoTime - lastNanoTime;
        lastNanoTime = nanoTime;
        Map<Long, Long> seen = new HashMap<>();
        Map<String, Group> groups = new TreeMap<>();
        for (ThreadCpu thread : threads.get()) {
            if (!thread.name().startsWith(prefix) || thread.cpuNanos() < 0) {
                continue;
            }
            seen.put(thread.id(), thread.cpuNanos());
            Long before = lastCpu.get(thread.id());
            long used = before == null ? 0 : Rates.increase(before, thread.cpuNanos());
            String group = groupOf(thread.name());
            groups.computeIfAbsent(group, g -> new Group()).add(thread.name(), used);
            // Counted from the thread's first sighting, so that a group's total never goes backwards
            // when one of its threads ends.
            groupNanos.merge(group, before == null ? thread.cpuNanos() : used, Long::sum);
        }
        lastCpu.clear();
        lastCpu.putAll(seen);
        List<ThreadGroupFigures> figures = new ArrayList<>();
        groups.forEach((name, group) -> figures.add(new ThreadGroupFigures(name, group.threads,
                groupNanos.get(name) / 1e9, Rates.percent(group.nanos, wall), group.hottest,
                Rates.percent(group.hottestNanos, wall))));
        return figures;
    }

    /** {@code msf-worker-3} belongs to {@code msf-worker}; {@code msf-timer} is its own group. */
    static String groupOf(String threadName) {
        return NUMBER_SUFFIX.matcher(threadName).replaceFirst("");
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

    private static final class Group {
        int threads;
        long nanos;
        String hottest = "";
        long hottestNanos = -1;

        void add(String name, long used) {
            threads++;
            nanos += used;
            if (used > hottestNanos) {
                hottest = name;
                hottestNanos = used;
            }
        }
    }
}
