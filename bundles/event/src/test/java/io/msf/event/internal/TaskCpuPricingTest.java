package io.msf.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskCpuPricingTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final TaskCpuPricing pricing = new TaskCpuPricing();

    @Test
    void tasksThatTurnCpuBoundAfterALongWaitingHistoryAddOnlyTheirNewTime() {
        // 100 s of tasks that mostly wait: 10 s measured, 1 s of it on the CPU.
        long history = pricing.price(100 * SECOND, SECOND, 10 * SECOND);
        assertThat(history).isEqualTo(10 * SECOND);

        // 1 s more of CPU-bound tasks, 0.5 s of it measured.
        long next = pricing.price(101 * SECOND, SECOND + SECOND / 2, 10 * SECOND + SECOND / 2);

        // At most the new wall-clock time times the new ratio (1), not 101 s re-priced at the all-time ratio.
        assertThat(next - history).isEqualTo(SECOND);
    }

    @Test
    void tasksThatStartWaitingAfterACpuBoundHistoryStillAddTheirShare() {
        long history = pricing.price(100 * SECOND, 10 * SECOND, 10 * SECOND);
        assertThat(history).isEqualTo(100 * SECOND);

        // 10 s more of tasks at 10 % CPU, 5 s of it measured: the estimate moves on by 1 s instead of staying
        // frozen until the all-time ratio times all the time catches up with the CPU-bound past.
        long next = pricing.price(110 * SECOND, 10 * SECOND + SECOND / 2, 15 * SECOND);

        assertThat(next - history).isEqualTo(SECOND);
    }

    @Test
    void newTimeWithNoMeasuredTaskIsPricedAtTheRatioSoFar() {
        pricing.price(10 * SECOND, SECOND, 4 * SECOND);

        long next = pricing.price(14 * SECOND, SECOND, 4 * SECOND);

        assertThat(next).isEqualTo(10 * SECOND / 4 + SECOND);
    }

    @Test
    void beforeAnyMeasurementTasksCountAsTheirDurationAndTheRatioIsCappedAtOne() {
        assertThat(pricing.price(SECOND, 0, 0)).isEqualTo(SECOND);
        // A measured task can read more CPU than wall-clock time (clock granularity): never more than 1.
        assertThat(pricing.price(2 * SECOND, 3 * SECOND, SECOND)).isEqualTo(2 * SECOND);
    }
}
