package io.msf.event.internal;

import static io.msf.event.internal.BundleAccountTest.burn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.event.api.BundleUsage;
import io.msf.event.api.ServiceExecutors;
import io.msf.settings.testing.ComponentConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.log.Logger;

class BundleExecutorsTest {

    private static final long CPU_BURNT = TimeUnit.MILLISECONDS.toNanos(200);

    private final Logger log = mock(Logger.class);
    private final BundleAccounts accounts = new BundleAccounts();
    private final List<BundleExecutors> views = new ArrayList<>();
    private final LoopSettingsInForce inForce = new LoopSettingsInForce();

    @AfterEach
    void releaseAll() {
        views.forEach(BundleExecutors::deactivate);
    }

    @Test
    void threadsAreNamedAfterTheBundleAndCountedInItsAccount() throws Exception {
        ExecutorService pool = executorsOf(bundle(11, "com.example.a")).executor("crunch", 2);
        AtomicReference<String> name = new AtomicReference<>();
        AtomicReference<Boolean> daemon = new AtomicReference<>();

        pool.submit(() -> {
            name.set(Thread.currentThread().getName());
            daemon.set(Thread.currentThread().isDaemon()); // as ServiceExecutors says: the JVM does not wait for it to exit
        }).get(5, TimeUnit.SECONDS);

        assertThat(name.get()).isEqualTo("com.example.a-crunch-1");
        assertThat(daemon.get()).isTrue();
        BundleUsage usage = usageOf(11);
        assertThat(usage.bundle()).isEqualTo("com.example.a");
        assertThat(usage.liveThreads()).isEqualTo(1);
        assertThat(usage.threadsStarted()).isEqualTo(1);
    }

    @Test
    void cpuGoesToTheBundleWhoseExecutorRanIt() throws Exception {
        ExecutorService busy = executorsOf(bundle(11, "com.example.busy")).executor("work", 1);
        ExecutorService idle = executorsOf(bundle(12, "com.example.idle")).executor("work", 1);

        busy.submit(() -> burn(CPU_BURNT)).get(10, TimeUnit.SECONDS);
        idle.submit(() -> { }).get(5, TimeUnit.SECONDS);

        assertThat(usageOf(11).threadCpuNanos()).isGreaterThanOrEqualTo(CPU_BURNT);
        assertThat(usageOf(12).threadCpuNanos()).isLessThan(CPU_BURNT / 2);
    }

    @Test
    void theCpuOfAThreadThatEndedStaysInTheAccount() throws Exception {
        ServiceExecutors executors = executorsOf(bundle(11, "com.example.a"));
        ExecutorService pool = executors.executor("once", 1);
        pool.submit(() -> burn(CPU_BURNT)).get(10, TimeUnit.SECONDS);
        // Keeps the account open once the pool's thread is gone.
        executors.executor("other", 1);

        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

        await().untilAsserted(() -> assertThat(usageOf(11).liveThreads()).isZero());
        assertThat(usageOf(11).threadsStarted()).isEqualTo(1);
        assertThat(usageOf(11).threadCpuNanos()).isGreaterThanOrEqualTo(CPU_BURNT);
    }

    @Test
    void releasingTheServiceStopsTheBundlesPoolsAndClosesItsAccount() throws Exception {
        BundleExecutors executors = executorsOf(bundle(11, "com.example.a"));
        ExecutorService pool = executors.executor("blocking", 1);
        CountDownLatch started = new CountDownLatch(1);
        Future<?> running = pool.submit(() -> {
            started.countDown();
            new CountDownLatch(1).await();
            return null;
        });
        Future<?> queued = pool.submit(() -> { });
        started.await(5, TimeUnit.SECONDS);

        executors.deactivate();
        views.remove(executors);

        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(running).isDone();
        // Dropped, not run: its future was left pending, and a caller waiting on it (get()) waited for ever.
        assertThat(queued.isCancelled()).as("the queued task's future").isTrue();
        assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        await().untilAsserted(() -> assertThat(accounts.usage()).isEmpty());
        assertThatThrownBy(() -> executors.executor("late", 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("com.example.a [11]");
    }

    @Test
    void aFullQueueRefusesTasks() throws Exception {
        ExecutorService pool = executorsOf(bundle(11, "com.example.a")).executor("small", 1);
        CountDownLatch gate = new CountDownLatch(1);
        pool.submit(() -> {
            gate.await();
            return null;
        });
        try {
            assertThatThrownBy(() -> {
                for (int i = 0; i <= ServiceExecutors.QUEUED_TASKS_PER_THREAD + 1; i++) {
                    pool.execute(() -> { });
                }
            }).isInstanceOf(RejectedExecutionException.class);
        } finally {
            gate.countDown();
        }
    }

    @Test
    void theBundleGetsAnExecutorItCannotReconfigure() {
        ExecutorService pool = executorsOf(bundle(11, "com.example.a")).executor("sealed", 1);

        assertThat(pool).isNotInstanceOf(ThreadPoolExecutor.class);
    }

    /** An ArrayBlockingQueue of 256 * 1024 slots took a MiB for every executor asked for, used or not. */
    @Test
    void aLargeExecutorReservesNoQueueUpFront() {
        ServiceExecutors executors = executorsOf(bundle(11, "com.example.a"));
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        executors.executor("warm", 1).shutdown();
        long before = threads.getCurrentThreadAllocatedBytes();

        executors.executor("large", BundleExecutors.MAX_THREADS);

        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(64 * 1024);
    }

    /** Unbounded, a bundle asking for an executor per request ran the container out of threads. */
    @Test
    void aBundleHasAtMostTheConfiguredNumberOfExecutors() {
        BundleExecutors executors = executorsOf(bundle(11, "com.example.a"), Map.of("maxExecutorsPerBundle", 2));
        ExecutorService first = executors.executor("one", 1);
        executors.executor("two", 1);

        assertThatThrownBy(() -> executors.executor("three", 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("com.example.a [11]").hasMessageContaining("maxExecutorsPerBundle")
                .hasMessageContaining("2");
        // Another bundle has its own bound.
        executorsOf(bundle(12, "com.example.b"), Map.of("maxExecutorsPerBundle", 2)).executor("one", 1);

        // One shut down makes room once it has ended.
        first.shutdown();
        await().untilAsserted(() -> assertThat(executors.executor("three", 1)).isNotNull());
    }

    @Test
    void aChangedBoundAppliesToTheExecutorsAskedForNext() {
        BundleExecutors executors = executorsOf(bundle(11, "com.example.a"), Map.of("maxExecutorsPerBundle", 1));
        ExecutorService kept = executors.executor("one", 1);
        assertThatThrownBy(() -> executors.executor("two", 1)).isInstanceOf(IllegalStateException.class);

        inForce(Map.of("maxExecutorsPerBundle", 2));

        executors.executor("two", 1);
        assertThatThrownBy(() -> executors.executor("three", 1)).isInstanceOf(IllegalStateException.class);
        assertThat(kept.isShutdown()).isFalse();
    }

    /** It started at the default 32 whatever the bound in force, until msf.event changed again. */
    @Test
    void aBundleThatGetsTheServiceAfterAChangeHasTheBoundInForce() {
        inForce(Map.of("maxExecutorsPerBundle", 1));

        BundleExecutors late = executorsOf(bundle(11, "com.example.late"));

        late.executor("one", 1);
        assertThatThrownBy(() -> late.executor("two", 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("(1)");
    }

    @Test
    void badArgumentsAreRejected() {
        ServiceExecutors executors = executorsOf(bundle(11, "com.example.a"));

        assertThatThrownBy(() -> executors.executor("no spaces", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'no spaces'");
        assertThatThrownBy(() -> executors.executor("x", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..256");
        assertThatThrownBy(() -> executors.executor("x", 257)).isInstanceOf(IllegalArgumentException.class);
    }

    private void inForce(Map<String, Object> config) {
        inForce.set(LoopSettings.of(ComponentConfigs.of(EventLoopConfiguration.class, config), 2));
    }

    private BundleUsage usageOf(long bundleId) {
        return accounts.usage().stream().filter(u -> u.bundleId() == bundleId).findFirst().orElseThrow();
    }

    private BundleExecutors executorsOf(Bundle bundle) {
        return executorsOf(bundle, Map.of());
    }

    /** The executors of {@code bundle}, msf.event being {@code config} (what EventLoopGroups leaves in force). */
    private BundleExecutors executorsOf(Bundle bundle, Map<String, Object> config) {
        if (!config.isEmpty()) {
            inForce(config);
        }
        ComponentContext context = mock(ComponentContext.class);
        when(context.getUsingBundle()).thenReturn(bundle);
        BundleExecutors executors = new BundleExecutors(accounts, inForce, context, log);
        views.add(executors);
        return executors;
    }

    private static Bundle bundle(long id, String name) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getSymbolicName()).thenReturn(name);
        return bundle;
    }
}
