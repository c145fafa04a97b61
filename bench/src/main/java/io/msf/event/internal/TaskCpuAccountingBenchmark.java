package io.msf.event.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.osgi.framework.Bundle;

/**
 * What accounting a task on a shared event loop to its bundle costs per task, on the loop thread:
 * counting it only, reading the thread's CPU clock before and after every task, and the sampled
 * wrapper the event bundle uses ({@link BundleAccount#measured}: every task counted, one in
 * {@value BundleAccount#TASK_SAMPLING} timed). The task itself is nearly empty, as many loop tasks
 * are, so the figures are the overhead. In this package (not io.msf.bench) to reach the
 * package-private account; outside OSGi like the other JMH benchmarks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TaskCpuAccountingBenchmark {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final BundleAccount account = new BundleAccount(bundle("bench", 1), threads);
    private final LongAdder tasksRun = new LongAdder();
    private final LongAdder cpuNanos = new LongAdder();
    private long value;

    /** A bundle that only tells its name and id, all an account asks of it here; no framework runs. */
    private static Bundle bundle(String name, long id) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName", "toString" -> name;
                    case "getBundleId" -> id;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Runnable task(Blackhole hole) {
        return () -> hole.consume(value++);
    }

    @Benchmark
    public void countedOnly(Blackhole hole) {
        Runnable task = task(hole);
        try {
            task.run();
        } finally {
            tasksRun.increment();
        }
    }

    @Benchmark
    public void cpuClockEveryTask(Blackhole hole) {
        Runnable task = task(hole);
        long before = threads.getCurrentThreadCpuTime();
        try {
            task.run();
        } finally {
            tasksRun.increment();
            cpuNanos.add(threads.getCurrentThreadCpuTime() - before);
        }
    }

    @Benchmark
    public void sampledAsShipped(Blackhole hole) {
        account.measured(task(hole)).run();
    }
}
