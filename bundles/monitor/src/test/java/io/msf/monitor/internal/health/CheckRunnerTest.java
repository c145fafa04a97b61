package io.msf.monitor.internal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import io.msf.monitor.api.HealthCheck;
import io.msf.monitor.api.HealthResult;
import io.msf.monitor.api.HealthStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class CheckRunnerTest {

    /** For checks that are to be late: each waits this long. */
    private static final Duration LIMIT = Duration.ofMillis(200);
    /**
     * For checks that answer at once: never reached when they do, however late a loaded machine runs
     * their thread (a thread start, class loading, a GC pause), as in HealthGateTest; one that is
     * never answered still fails.
     */
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    private final CheckRunner runner = new CheckRunner(mock(Logger.class));
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void release() {
        never.countDown();
        runner.close();
    }

    @Test
    void returnsEachChecksResultInOrder() {
        List<HealthResult> results = runner.run(List.of(() -> HealthResult.up("a"), () -> HealthResult.warn("b")),
                List.of("a", "b"), GENEROUS);
        assertThat(results).containsExactly(HealthResult.up("a"), HealthResult.warn("b"));
    }

    @Test
    void aCheckThatThrowsOrReturnsNothingIsDown() {
        List<HealthResult> results = runner.run(List.of(() -> {
            throw new IllegalStateException("no database");
        }, () -> null), List.of("check 1", "check 2"), GENEROUS);
        assertThat(results.get(0).status()).isEqualTo(HealthStatus.DOWN);
        assertThat(results.get(0).detail()).contains("check 1", "no database");
        assertThat(results.get(1)).isEqualTo(HealthResult.down("check 2 returned no result"));
    }

    @Test
    void aLateCheckIsDownAndNotStartedAgainUntilItReturns() {
        HealthCheck hanging = this::hangDespiteInterrupts;
        assertThat(runner.run(List.of(hanging), List.of("slow check"), LIMIT)).singleElement()
                .satisfies(result -> assertThat(result.detail()).startsWith("slow check did not answer within 200 ms"));
        assertThat(runner.run(List.of(hanging), List.of("slow check"), LIMIT))
                .containsExactly(HealthResult.down("slow check: its previous run has not returned yet"));
    }

    @Test
    void aLateCheckIsInterrupted() {
        AtomicBoolean interrupted = new AtomicBoolean();
        HealthCheck hanging = () -> {
            try {
                never.await();
                return HealthResult.up("released");
            } catch (InterruptedException e) {
                interrupted.set(true);
                return HealthResult.down("interrupted");
            }
        };
        assertThat(runner.run(List.of(hanging), List.of("slow check"), LIMIT)).singleElement()
                .satisfies(result -> assertThat(result.detail()).contains("did not answer", "interrupted"));
        await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.abandoned() == 0);
    }

    @Test
    void checksThatIgnoreTheirInterruptHoldOnlyTheirOwnThreads() {
        AtomicInteger started = new AtomicInteger();
        int hung = CheckRunner.THREADS + 2;
        for (int i = 0; i < hung; i++) {
            HealthCheck hanging = () -> {
                started.incrementAndGet();
                return hangDespiteInterrupts();
            };
            assertThat(runner.run(List.of(hanging), List.of("hanging " + i), LIMIT)).singleElement()
                    .satisfies(result -> assertThat(result.detail()).contains("did not answer"));
        }
        assertThat(started).as("hung checks started, more than there are threads").hasValue(hung);
        assertThat(runner.abandoned()).isEqualTo(hung);
        assertThat(runner.run(List.of(() -> HealthResult.up("fine")), List.of("fine"), GENEROUS))
                .containsExactly(HealthResult.up("fine"));

        never.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.abandoned() == 0);
        assertThat(runner.run(List.of(() -> HealthResult.up("fine")), List.of("fine"), GENEROUS))
                .containsExactly(HealthResult.up("fine"));
    }

    @Test
    void hungChecksPastTheThreadsSetAsideHoldTheThreadsUntilTheyReturn() {
        for (int i = 0; i < CheckRunner.MAX_ABANDONED + CheckRunner.THREADS; i++) {
            HealthCheck hanging = this::hangDespiteInterrupts;
            runner.run(List.of(hanging), List.of("hanging " + i), LIMIT);
        }
        assertThat(runner.abandoned()).isEqualTo(CheckRunner.MAX_ABANDONED);
        HealthCheck fine = () -> HealthResult.up("fine");
        assertThat(runner.run(List.of(fine), List.of("fine"), Duration.ofMillis(50))).singleElement()
                .satisfies(result -> assertThat(result.detail()).contains("check threads are busy"));
        never.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.run(List.of(fine),
                List.of("fine"), LIMIT).equals(List.of(HealthResult.up("fine"))));
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.abandoned() == 0);
    }

    /**
     * A /health call lists a check, the check goes away (forget), then the call runs it: the run, started
     * after forget, must not keep the check, and with it its bundle's class loader, once it is over.
     */
    @Test
    void aCheckRunAfterItWasForgottenIsNotHeldOnceItReturns() {
        HealthCheck gone = () -> HealthResult.up("fine");
        runner.forget(gone);

        assertThat(runner.run(List.of(gone), List.of("gone"), GENEROUS)).containsExactly(HealthResult.up("fine"));
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.checksHeld() == 0);
    }

    @Test
    void moreQuickChecksThanThreadsAllRunWithinTheLimit() {
        List<HealthCheck> checks = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 2 * CheckRunner.THREADS + 1; i++) {
            String name = "check " + i;
            checks.add(() -> {
                try {
                    Thread.sleep(30); // quick, but not done by the time the next check is handed over
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return HealthResult.up(name);
            });
            names.add(name);
        }
        for (int round = 0; round < 2; round++) { // the second round on the threads the first one started
            assertThat(runner.run(checks, names, Duration.ofSeconds(5)))
                    .extracting(HealthResult::status).containsOnly(HealthStatus.UP).hasSize(checks.size());
        }
    }

    /**
     * Two probes at the same moment (Kubernetes' liveness and readiness probes, a scrape beside msf:health):
     * the check runs once and both have its result. The second once got DOWN, "its previous run has not
     * returned yet", and /health a 503 for a healthy container, whatever the check.
     */
    @Test
    void twoCallsAtTheSameMomentRunACheckOnceAndBothHaveItsResult() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        List<HealthResult> results = runTwiceAtOnce(() -> {
            starts.incrementAndGet();
            // still running when the second call looks: until it has joined (or started a run of its own)
            await().atMost(Duration.ofSeconds(30)).until(() -> runner.joins() == 1 || starts.get() > 1);
            return HealthResult.up("fine");
        }, GENEROUS);
        assertThat(results).containsExactly(HealthResult.up("fine"), HealthResult.up("fine"));
        assertThat(starts).as("times the check was started").hasValue(1);
    }

    /** A hung check: both calls are DOWN once their limit is up, and it was started once. */
    @Test
    void twoCallsAtTheSameMomentStartAHungCheckOnce() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        // a second, not LIMIT: a run no thread took up within the limit (a loaded machine) is withdrawn, never started
        List<HealthResult> results = runTwiceAtOnce(() -> {
            starts.incrementAndGet();
            return hang();
        }, Duration.ofSeconds(1));
        assertThat(results).extracting(HealthResult::status).containsOnly(HealthStatus.DOWN);
        assertThat(results).extracting(HealthResult::detail).anySatisfy(detail ->
                assertThat(detail).matches("(scrape|command) did not answer within 1000 ms; interrupted.*"));
        // the started one may still be on its way to the check (its thread may not have run yet on a
        // loaded machine): wait for it rather than for a fixed time; the other was never started
        await().atMost(Duration.ofSeconds(10)).until(() -> starts.get() >= 1);
        assertThat(starts).as("times the check was started").hasValue(1);
    }

    /** The results of two calls made at the same moment on two threads, the first named scrape, the other command. */
    private List<HealthResult> runTwiceAtOnce(java.util.function.Supplier<HealthResult> body, Duration limit)
            throws Exception {
        CyclicBarrier bothLooking = new CyclicBarrier(2);
        AtomicInteger lookups = new AtomicInteger();
        HealthCheck check = new HealthCheck() {
            @Override
            public HealthResult check() {
                return body.get();
            }

            // The runner finds a check's earlier run by the check: holding both callers at their first
            // look-up makes them look at the same moment, so that neither has recorded its run yet.
            @Override
            public int hashCode() {
                if (lookups.incrementAndGet() <= 2) {
                    try {
                        bothLooking.await(2, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (BrokenBarrierException | TimeoutException e) {
                        // a runner that serialises its callers before the look-up: nothing to line up
                    }
                }
                return 1;
            }
        };
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<HealthResult>>> runs = List.of(
                    callers.submit(() -> runner.run(List.of(check), List.of("scrape"), limit)),
                    callers.submit(() -> runner.run(List.of(check), List.of("command"), limit)));
            List<HealthResult> results = new java.util.ArrayList<>();
            for (Future<List<HealthResult>> run : runs) {
                results.addAll(run.get(40, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            callers.shutdownNow();
        }
    }

    private HealthResult hang() {
        try {
            never.await();
            return HealthResult.up("released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthResult.down("interrupted");
        }
    }

    /** A check hung in something that does not heed interrupts, as blocking I/O or a lock. */
    private HealthResult hangDespiteInterrupts() {
        while (true) {
            try {
                never.await();
                return HealthResult.up("released");
            } catch (InterruptedException e) {
                // ignored, as a check stuck in a socket read would
            }
        }
    }

    @Test
    void theWorstResultWins() {
        assertThat(Worst.of(List.of(), "none")).isEqualTo(HealthResult.up("none"));
        assertThat(Worst.of(List.of(HealthResult.up("a"), HealthResult.up("b")), "none"))
                .isEqualTo(HealthResult.up("a; b"));
        assertThat(Worst.of(List.of(HealthResult.up("a"), HealthResult.down("b"), HealthResult.warn("c")), "none"))
                .isEqualTo(HealthResult.down("b; c"));
    }
}
