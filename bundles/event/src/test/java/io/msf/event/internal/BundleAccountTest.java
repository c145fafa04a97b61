package io.msf.event.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.event.api.BundleUsage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

class BundleAccountTest {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final BundleAccount account = new BundleAccount(bundle(), threads);

    @Test
    void measuredTasksAreCountedAndTheirCpuEstimatedFromASample() {
        long cpuBefore = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < 16_000; i++) {
            account.measured(() -> burn(TimeUnit.MICROSECONDS.toNanos(25))).run();
        }
        long used = threads.getCurrentThreadCpuTime() - cpuBefore;

        BundleUsage usage = account.usage();
        assertThat(usage.tasksRun()).isEqualTo(16_000);
        // What the thread really used (the tasks and the accounting), to an order of magnitude only: about 250
        // measured tasks, and on a busy machine the few that lose the CPU for a while weigh a lot. The ratio is
        // capped at 1, so the estimate can't exceed the tasks' wall-clock time; a wrong estimate is off by 64x.
        assertThat(usage.taskCpuNanos()).isBetween(used / 10, used * 10);
        assertThat(usage.cpuNanos()).isEqualTo(usage.taskCpuNanos());
    }

    @Test
    void oneLongTaskCountsAsWhatItUsedNotAsAMultipleOfIt() {
        // Measured or not (1 in 64 is), a lone 50 ms task is accounted as about 50 ms, never 64 times that.
        long cpuBefore = threads.getCurrentThreadCpuTime();
        account.measured(() -> burn(TimeUnit.MILLISECONDS.toNanos(50))).run();
        long used = threads.getCurrentThreadCpuTime() - cpuBefore;

        // Order of magnitude only (a busy machine stretches the wall-clock time); the bug this guards against
        // is a factor of 64.
        assertThat(account.usage().taskCpuNanos()).isBetween(used / 10, used * 10);
    }

    @Test
    void tasksThatWaitAreAccountedByTheCpuTheyUseNotByTheirDuration() {
        // Each task uses a little CPU and waits 500 us or more: the estimate follows the measured ones' CPU share,
        // not their duration.
        Runnable waits = account.measured(() -> {
            burn(TimeUnit.MICROSECONDS.toNanos(10));
            sleepNanos(TimeUnit.MICROSECONDS.toNanos(500));
        });
        for (int i = 0; i < 2000; i++) {
            waits.run();
        }
        long estimateBefore = account.usage().taskCpuNanos();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long wallBefore = System.nanoTime();
        for (int i = 0; i < 2000; i++) {
            waits.run();
        }
        long used = threads.getCurrentThreadCpuTime() - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        long estimate = account.usage().taskCpuNanos() - estimateBefore;

        // Order of magnitude only: a share of a few percent, far below the tasks' duration.
        assertThat(estimate).isLessThan(wall / 4).isLessThan(used * 10);
    }

    @Test
    void aTaskThatThrowsIsStillCounted() {
        Runnable failing = account.measured(() -> {
            throw new IllegalStateException("boom");
        });
        for (int i = 0; i < 20; i++) {
            try {
                failing.run();
            } catch (IllegalStateException expected) {
                // the loop would log it
            }
        }

        assertThat(account.usage().tasksRun()).isEqualTo(20);
    }

    /**
     * Named "null" (threads null-pool-1, "bundle null [12]") while the timers, the memory pool and the
     * log name it by its id: a monitor joining their figures by bundle saw two bundles.
     */
    @Test
    void aBundleWithoutSymbolicNameIsNamedByItsIdInItsFiguresAndThreads() {
        Bundle legacy = mock(Bundle.class);
        when(legacy.getBundleId()).thenReturn(12L);
        BundleAccount named = new BundleAccount(legacy, threads);

        assertThat(named.bundle()).isEqualTo("bundle#12");
        assertThat(named.usage().bundle()).isEqualTo("bundle#12");
        assertThat(new AccountedThreadFactory(new BundleAccounts(), named, "pool").newThread(() -> { }).getName())
                .isEqualTo("bundle#12-pool-1");
    }

    private static Bundle bundle() {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(7L);
        when(bundle.getSymbolicName()).thenReturn("com.example.app");
        return bundle;
    }

    private static void sleepNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(end - System.nanoTime());
        }
    }

    static void burn(long cpuNanos) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long end = bean.getCurrentThreadCpuTime() + cpuNanos;
        while (bean.getCurrentThreadCpuTime() < end) {
            Thread.onSpinWait();
        }
    }
}
