package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.monitor.api.HealthCheck;
import io.msf.monitor.api.HealthResult;
import io.msf.monitor.api.HealthStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** The deployer's own health checks, run when no monitor does. */
class HealthGateTest {

    /** What a hung check is given before it counts as DOWN. */
    private static final Duration LIMIT = Duration.ofMillis(200);
    /**
     * What a check that does finish is given: far more than it needs, so that a loaded machine (a
     * thread start, class loading, a GC pause) does not turn it into a timeout; a check stuck behind
     * hung ones would wait forever, and still fail.
     */
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    private final BundleContext context = mock(BundleContext.class);
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void freeHungChecks() {
        never.countDown();
    }

    @Test
    void aCheckThatReturnsNoResultIsDownAsTheMonitorHasIt() {
        HealthGate gate = new HealthGate(context, () -> null);
        Bundle silent = bundleWithCheck("silent", () -> null);
        HealthResult result = gate.check(List.of(silent), GENEROUS);
        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.detail()).contains("silent", "returned no result");
    }

    @Test
    void aCheckThatHangsIsDownAndHoldsUpNoLaterCheck() {
        HealthGate gate = new HealthGate(context, () -> null);
        // As many hung checks as the JVM's shared pool has threads: a later check must still run.
        int hung = ForkJoinPool.getCommonPoolParallelism();
        for (int i = 0; i < hung; i++) {
            Bundle stuck = bundleWithCheck("stuck" + i, () -> {
                never.await();
                return HealthResult.up("released");
            });
            HealthResult result = gate.check(List.of(stuck), LIMIT);
            assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(result.detail()).contains("stuck" + i, "took longer than 200 ms");
        }

        Bundle healthy = bundleWithCheck("healthy", () -> HealthResult.up("fine"));
        assertThat(gate.check(List.of(healthy), GENEROUS).status()).isEqualTo(HealthStatus.UP);
    }

    /**
     * A check that ignores the interrupt keeps its thread; msf:list asks the health of every service
     * each time it runs, so each call left one more thread behind, without end.
     */
    @Test
    void checksThatKeepRunningPastTheirLimitAreBounded() {
        HealthGate gate = new HealthGate(context, () -> null);
        for (int i = 0; i < HealthGate.MOST_STILL_RUNNING; i++) {
            Bundle deaf = bundleWithDeafCheck("deaf" + i);
            assertThat(gate.check(List.of(deaf), LIMIT).detail()).contains("took longer than 200 ms");
        }

        Bundle healthy = bundleWithCheck("healthy", () -> HealthResult.up("fine"));
        HealthResult refused = gate.check(List.of(healthy), GENEROUS);
        assertThat(refused.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(refused.detail()).contains("not run: 8 health checks still run, of other calls at this moment or past"
                + " their limit");

        never.countDown();
        await().atMost(GENEROUS).until(() -> gate.check(List.of(healthy), GENEROUS).status() == HealthStatus.UP);
    }

    /**
     * The limit held for callers at the same moment too (msf:list in two consoles): each looked for a
     * free place, and counted its check only once it had made the check's thread, so all of them
     * could see one free and more checks than the limit ran. Each caller here is held as it makes
     * that thread until every caller has made one or been refused: all have looked before any counts.
     */
    @Test
    void callersAtTheSameMomentRunNoMoreChecksThanTheLimit() throws Exception {
        HealthGate gate = new HealthGate(context, () -> null);
        int callers = 2 * HealthGate.MOST_STILL_RUNNING;
        AtomicInteger runningNow = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Bundle blocking = bundleWithCheck("blocking", () -> {
            mostAtOnce.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
            try {
                never.await();
            } finally {
                runningNow.decrementAndGet();
            }
            return HealthResult.up("released");
        });
        CountDownLatch allLooked = new CountDownLatch(callers);
        // asked for the new thread's value on the thread that makes it, as it is made
        InheritableThreadLocal<String> heldAsItMakesAThread = new InheritableThreadLocal<>() {
            @Override
            protected String childValue(String caller) {
                allLooked.countDown();
                try {
                    allLooked.await(GENEROUS.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return caller;
            }
        };
        List<HealthResult> refused = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Thread caller = new Thread(() -> {
                heldAsItMakesAThread.set("msf:list");
                HealthResult result = gate.check(List.of(blocking), GENEROUS);
                if (result.detail().contains("not run")) {
                    refused.add(result);
                    allLooked.countDown();
                }
            }, "caller" + i);
            caller.start();
            threads.add(caller);
        }

        await().atMost(GENEROUS).until(() -> runningNow.get() + refused.size() == callers);
        assertThat(mostAtOnce.get()).as("checks running at once").isEqualTo(HealthGate.MOST_STILL_RUNNING);
        assertThat(refused).hasSize(callers - HealthGate.MOST_STILL_RUNNING)
                .allSatisfy(result -> assertThat(result.status()).isEqualTo(HealthStatus.DOWN));

        never.countDown();
        for (Thread caller : threads) {
            caller.join(GENEROUS.toMillis());
        }
    }

    /** A check that waits for {@link #never}, whatever interrupts it. */
    private Bundle bundleWithDeafCheck(String name) {
        return bundleWithCheck(name, () -> {
            boolean interrupted = false;
            while (true) {
                try {
                    never.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return HealthResult.up("released");
        });
    }

    /** The deployer stopping interrupts its thread: the check it waited for is interrupted too, not left running. */
    @Test
    void aCallerInterruptedWhileACheckRunsPassesTheInterruptOn() throws Exception {
        HealthGate gate = new HealthGate(context, () -> null);
        CountDownLatch checking = new CountDownLatch(1);
        CountDownLatch checkInterrupted = new CountDownLatch(1);
        Bundle waiting = bundleWithCheck("waiting", () -> {
            checking.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                checkInterrupted.countDown();
                throw e;
            }
            return HealthResult.up("released");
        });
        HealthResult[] result = new HealthResult[1];
        Thread caller = new Thread(() -> result[0] = gate.check(List.of(waiting), GENEROUS));
        caller.start();
        checking.await();

        caller.interrupt();
        caller.join(GENEROUS.toMillis());

        assertThat(result[0].status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result[0].detail()).contains("interrupted while checking");
        assertThat(checkInterrupted.await(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCheckThatThrowsIsDownWithItsError() {
        HealthGate gate = new HealthGate(context, () -> null);
        Bundle failing = bundleWithCheck("failing", () -> {
            throw new IllegalStateException("database gone");
        });

        HealthResult result = gate.check(List.of(failing), GENEROUS);

        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.detail()).contains("failing", "database gone");
    }

    /** A stand-in for a bundle of the framework that registered one health check. */
    private Bundle bundleWithCheck(String name, ThrowingCheck check) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(name);
        @SuppressWarnings("unchecked")
        ServiceReference<Object> reference = mock(ServiceReference.class);
        when(reference.getProperty("objectClass")).thenReturn(new String[] {HealthCheck.class.getName()});
        when(bundle.getRegisteredServices()).thenReturn(new ServiceReference<?>[] {reference});
        HealthCheck service = () -> {
            try {
                return check.check();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return HealthResult.down("interrupted");
            }
        };
        when(context.getService(reference)).thenReturn(service);
        return bundle;
    }

    @FunctionalInterface
    private interface ThrowingCheck {
        HealthResult check() throws InterruptedException;
    }
}
