package io.msf.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryTest {

    /** Keeps what is scheduled, to be run by the test; cancelling takes it off. */
    private final List<Runnable> due = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private final List<String> unscheduled = new ArrayList<>();
    private int attempts;
    private boolean stillWanted = true;
    private final Retry retry = new Retry((task, delayMillis) -> {
        due.add(task);
        delays.add(delayMillis);
        return () -> due.remove(task);
    }, () -> {
        attempts++;
        return stillWanted;
    }, unscheduled::add);

    private void runDue() {
        List<Runnable> now = List.copyOf(due);
        due.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void waitsDoubleFromOneSecondToThirtyWhileStillWanted() {
        retry.restart(true);
        for (int i = 0; i < 7; i++) {
            runDue();
        }
        assertThat(delays).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
        assertThat(attempts).isEqualTo(7);
    }

    @Test
    void stopsOnceNothingIsWanted() {
        retry.restart(true);
        runDue();
        stillWanted = false;
        runDue();
        assertThat(attempts).isEqualTo(2);
        assertThat(due).isEmpty();
    }

    @Test
    void aRestartStartsFromTheFirstDelayAndTheEarlierRoundEnds() {
        retry.restart(true);
        runDue();
        runDue();
        Runnable earlier = due.get(0);
        retry.restart(true);
        assertThat(due).hasSize(1).doesNotContain(earlier);
        earlier.run(); // had it fired already: it tries nothing
        assertThat(attempts).isEqualTo(2);
        assertThat(delays.get(delays.size() - 1)).isEqualTo(1_000L);
    }

    @Test
    void nothingIsScheduledWhenNotNeededOrOnceClosed() {
        retry.restart(false);
        assertThat(due).isEmpty();
        retry.restart(true);
        Runnable pending = due.get(0);
        retry.close();
        assertThat(due).isEmpty();
        pending.run();
        retry.restart(true);
        assertThat(attempts).isZero();
        assertThat(due).isEmpty();
    }

    @Test
    void aSchedulerThatRefusesIsReportedAndNothingElseHappens() {
        Retry refused = new Retry((task, delayMillis) -> {
            throw new IllegalStateException("timer stopped");
        }, () -> true, unscheduled::add);
        refused.restart(true);
        assertThat(unscheduled).containsExactly("timer stopped");
    }
}
