package io.msf.timer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.timer.api.Timeout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualTimerServiceTest {

    private final ManualTimerService timer = new ManualTimerService();
    private final List<String> ran = new ArrayList<>();

    @Test
    void aOneShotTaskRunsOnceThenHasExpired() {
        Timeout once = timer.schedule(() -> ran.add("once"), 5, TimeUnit.SECONDS);

        timer.runAll();
        timer.runAll();

        assertThat(ran).containsExactly("once");
        assertThat(once.isExpired()).isTrue();
        assertThat(once.cancel()).isFalse();
        assertThat(timer.live()).isEmpty();
    }

    @Test
    void aPeriodicTaskRunsOnEachCallUntilCancelled() {
        Timeout every = timer.scheduleAtFixedRate(() -> ran.add("every"), 0, 1, TimeUnit.SECONDS);
        timer.runAll();
        timer.runAll();

        assertThat(every.cancel()).isTrue();
        timer.runAll();

        assertThat(ran).containsExactly("every", "every");
        assertThat(every.isCancelled()).isTrue();
        assertThat(every.isExpired()).isFalse();
        assertThat(every.cancel()).isFalse();
        assertThat(timer.live()).isEmpty();
    }

    @Test
    void aTaskScheduledWhileTasksRunWaitsForTheNextCall() {
        timer.schedule(() -> timer.schedule(() -> ran.add("later"), 1, TimeUnit.SECONDS), 1, TimeUnit.SECONDS);

        timer.runAll();
        assertThat(ran).isEmpty();
        assertThat(timer.live()).singleElement().matches(task -> !task.isPeriodic());

        timer.runAll();
        assertThat(ran).containsExactly("later");
    }

    @Test
    void badDelaysAndPeriodsAreRefusedAsByTheRealService() {
        assertThatThrownBy(() -> timer.schedule(() -> { }, -1, TimeUnit.MILLISECONDS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> timer.scheduleAtFixedRate(() -> { }, 0, 0, TimeUnit.MILLISECONDS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(timer.live()).isEmpty();
    }
}
