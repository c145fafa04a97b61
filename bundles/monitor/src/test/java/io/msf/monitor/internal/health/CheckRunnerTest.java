package io.msf.monitor.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.monitor.api.HealthCheck;
import io.msf.monitor.api.HealthResult;
import io.msf.monitor.api.HealthStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CheckRunnerTest {

    private static final Duration LIMIT = Duration.ofMillis(200);

    private final CheckRunner runner = new CheckRunner();
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void release() {
        never.countDown();
        runner.close();
    }

    @Test
    void returnsEachChecksResultInOrder() {
        List<HealthResult> results = runner.run(List.of(() -> HealthResult.up("a"), () -> HealthResult.warn("b")),
                List.of("a", "b"), LIMIT);
        assertThat(results).containsExactly(HealthResult.up("a"), HealthResult.warn("b"));
    }

    @Test
    void aCheckThatThrowsOrReturnsNothingIsDown() {
        List<HealthResult> results = runner.run(List.of(() -> {
            throw new IllegalStateException("no database");
        }, () -> null), List.of("check 1", "check 2"), LIMIT);
        assertThat(results.get(0).status()).isEqualTo(HealthStatus.DOWN);
        assertThat(results.get(0).detail()).contains("check 1", "no database");
        assertThat(results.get(1)).isEqualTo(HealthResult.down("check 2 returned no result"));
    }

    @Test
    void aLateCheckIsDownAndNotStartedAgainUntilItReturns() {
        HealthCheck hanging = this::hang;
        assertThat(runner.run(List.of(hanging), List.of("slow check"), LIMIT))
                .containsExactly(HealthResult.down("slow check did not answer within 200 ms"));
        assertThat(runner.run(List.of(hanging), List.of("slow check"), LIMIT))
                .containsExactly(HealthResult.down("its previous run has not returned yet"));
    }

    @Test
    void hangingChecksCannotTakeEveryThread() {
        for (int i = 0; i < CheckRunner.THREADS; i++) {
            HealthCheck hanging = this::hang;
            runner.run(List.of(hanging), List.of("hanging " + i), Duration.ofMillis(10));
        }
        assertThat(runner.run(List.of(() -> HealthResult.up("fine")), List.of("fine"), LIMIT))
                .singleElement().satisfies(result -> {
                    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
                    assertThat(result.detail()).contains("check threads are busy");
                });
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

    @Test
    void theWorstResultWins() {
        assertThat(Worst.of(List.of(), "none")).isEqualTo(HealthResult.up("none"));
        assertThat(Worst.of(List.of(HealthResult.up("a"), HealthResult.up("b")), "none"))
                .isEqualTo(HealthResult.up("a; b"));
        assertThat(Worst.of(List.of(HealthResult.up("a"), HealthResult.down("b"), HealthResult.warn("c")), "none"))
                .isEqualTo(HealthResult.down("b; c"));
    }
}
