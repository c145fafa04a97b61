package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.supervisor.internal.RestartTracker.Action;
import io.msf.supervisor.internal.RestartTracker.Decision;
import io.msf.supervisor.internal.RestartTracker.Limit;
import org.junit.jupiter.api.Test;

class RestartTrackerTest {

    private long now = 1_000_000;

    private static RestartTracker tracker(RestartPolicy policy, int maxRestarts, long windowMillis) {
        return new RestartTracker(new RestartRules(policy, 100, 1600, maxRestarts, windowMillis));
    }

    /** A run of {@code millis} that ends with {@code exitCode}; the restart follows its delay. */
    private Decision run(RestartTracker tracker, long millis, int exitCode) {
        tracker.started(now, false);
        now += millis;
        Decision decision = tracker.ended(exitCode != 0, now);
        now += decision.delayMillis();
        return decision;
    }

    /**
     * With no crash-loop limit and no backoff a command that exits at once is restarted as fast as it can be
     * spawned: one time was kept per restart for the whole window (up to a day), millions of them, though with
     * no limit none decides anything. The count the log tells stops at 1024, said as "1024+".
     */
    @Test
    void withoutACrashLoopLimitTheRestartTimesKeptStopAt1024() {
        RestartTracker tracker = new RestartTracker(new RestartRules(RestartPolicy.ALWAYS, 0, 0, 0, 86_400_000));
        Decision last = null;
        for (int i = 0; i < 200_000; i++) {
            last = run(tracker, 1, 1);
        }
        assertThat(last.action()).isEqualTo(Action.RESTART);
        assertThat(last.restartsInWindow()).isEqualTo(RestartTracker.TIMES_KEPT_WITHOUT_LIMIT);
        assertThat(last.restartsInWindowShown()).isEqualTo("1024+");
        assertThat(tracker.restarts()).isEqualTo(200_000);
    }

    @Test
    void theLargestCrashLoopLimitStillCountsEveryRestartInTheWindow() {
        RestartTracker tracker = new RestartTracker(new RestartRules(RestartPolicy.ALWAYS, 0, 0, 1000, 86_400_000));
        for (int i = 1; i <= 1000; i++) {
            assertThat(run(tracker, 1, 1).restartsInWindowShown()).isEqualTo(String.valueOf(i));
        }
        Decision loop = run(tracker, 1, 1);
        assertThat(loop.action()).isEqualTo(Action.CRASH_LOOP);
        assertThat(loop.counted()).isEqualTo(1000);
    }

    @Test
    void firstRestartIsImmediateThenTheDelayDoublesUpToTheLargestBackoff() {
        RestartTracker tracker = tracker(RestartPolicy.ALWAYS, 0, 60_000);
        long[] delays = new long[7];
        for (int i = 0; i < delays.length; i++) {
            Decision decision = run(tracker, 10, 1);
            assertThat(decision.action()).isEqualTo(Action.RESTART);
            delays[i] = decision.delayMillis();
        }
        assertThat(delays).containsExactly(0, 100, 200, 400, 800, 1600, 1600);
        assertThat(tracker.restarts()).isEqualTo(7);
    }

    @Test
    void aRunAsLongAsTheLargestBackoffStartsTheDelayAgain() {
        RestartTracker tracker = tracker(RestartPolicy.ALWAYS, 0, 60_000);
        run(tracker, 10, 1);
        run(tracker, 10, 1);
        assertThat(run(tracker, 10, 1).delayMillis()).isEqualTo(200);
        assertThat(run(tracker, 1600, 1).delayMillis()).isZero();
        assertThat(run(tracker, 1599, 1).delayMillis()).isEqualTo(100);
    }

    /** A run of a type that reports ready: booting for {@code bootMillis}, then up for {@code upMillis}. */
    private Decision readyRun(RestartTracker tracker, long bootMillis, long upMillis) {
        tracker.started(now, true);
        now += bootMillis;
        if (upMillis >= 0) {
            tracker.ready(now);
        }
        now += Math.max(0, upMillis);
        Decision decision = tracker.ended(true, now);
        now += decision.delayMillis();
        return decision;
    }

    /**
     * A run that reports ready counted as healthy once it had lasted the largest backoff from its start:
     * a child hanging in its boot for longer, then dying, was restarted at once every time.
     */
    @Test
    void aRunThatReportsReadyIsHealthyOnlyOnceUpForTheLargestBackoff() {
        RestartTracker tracker = tracker(RestartPolicy.ALWAYS, 0, 600_000);
        assertThat(readyRun(tracker, 5000, -1).delayMillis()).isZero();
        assertThat(readyRun(tracker, 5000, -1).delayMillis()).as("never ready: no reset").isEqualTo(100);
        assertThat(readyRun(tracker, 5000, 1599).delayMillis()).as("up, not long enough").isEqualTo(200);
        assertThat(readyRun(tracker, 5000, 1600).delayMillis()).as("up for the largest backoff").isZero();
        assertThat(readyRun(tracker, 10, 10).delayMillis()).isEqualTo(100);
    }

    @Test
    void oneFailureMoreThanTheLimitWithinTheWindowIsACrashLoop() {
        RestartTracker tracker = tracker(RestartPolicy.ON_FAILURE, 3, 60_000);
        assertThat(run(tracker, 10, 3).restartsInWindow()).isEqualTo(1);
        assertThat(run(tracker, 10, 3).restartsInWindow()).isEqualTo(2);
        assertThat(run(tracker, 10, 3).restartsInWindow()).isEqualTo(3);
        Decision fourth = run(tracker, 10, 3);
        assertThat(fourth.action()).isEqualTo(Action.CRASH_LOOP);
        assertThat(fourth.restartsInWindow()).isEqualTo(3);
        assertThat(fourth.limit()).isEqualTo(Limit.RESTARTS_IN_WINDOW);
        assertThat(fourth.counted()).isEqualTo(3);
        assertThat(tracker.restarts()).isEqualTo(3);
    }

    /**
     * Runs that never report ready, each longer than the window divided by the limit: their restarts
     * left the window before the next failure, so such a child backed off for ever and never reached
     * the crash loop. Failed starts in a row count whatever their spacing.
     */
    @Test
    void failedStartsInARowReachTheCrashLoopHoweverLongEachHung() {
        RestartTracker tracker = tracker(RestartPolicy.ALWAYS, 3, 60_000);
        assertThat(readyRun(tracker, 120_000, -1).action()).isEqualTo(Action.RESTART);
        assertThat(readyRun(tracker, 120_000, -1).action()).isEqualTo(Action.RESTART);
        assertThat(readyRun(tracker, 120_000, -1).action()).isEqualTo(Action.RESTART);
        Decision fourth = readyRun(tracker, 120_000, -1);
        assertThat(fourth.action()).isEqualTo(Action.CRASH_LOOP);
        assertThat(fourth.limit()).isEqualTo(Limit.FAILED_STARTS_IN_A_ROW);
        assertThat(fourth.counted()).isEqualTo(3);
        assertThat(fourth.restartsInWindow()).as("each restart left the window before the next end").isZero();
    }

    /** A run that came up ends the streak: the window alone counts its crash, as any other. */
    @Test
    void aRunThatBecameReadyEndsTheStreakOfFailedStarts() {
        RestartTracker tracker = tracker(RestartPolicy.ALWAYS, 3, 60_000);
        readyRun(tracker, 120_000, -1);
        readyRun(tracker, 120_000, -1);
        readyRun(tracker, 120_000, -1);
        Decision afterUp = readyRun(tracker, 10, 120_000);
        assertThat(afterUp.action()).isEqualTo(Action.RESTART);
        // the streak starts again: three more failed starts are restarted, the fourth is the crash loop
        for (int i = 0; i < 3; i++) {
            assertThat(readyRun(tracker, 120_000, -1).action()).isEqualTo(Action.RESTART);
        }
        Decision fourth = readyRun(tracker, 120_000, -1);
        assertThat(fourth.action()).isEqualTo(Action.CRASH_LOOP);
        assertThat(fourth.limit()).isEqualTo(Limit.FAILED_STARTS_IN_A_ROW);
        assertThat(fourth.counted()).isEqualTo(3);
    }

    /**
     * A run stopped for not being ready in time may still write its ready line (while it handles the
     * SIGTERM): it counted as up since its start, and ended the streak of failed starts.
     */
    @Test
    void aReadyLineAfterTheReadyTimeoutIsTooLate() {
        RestartTracker tracker = tracker(RestartPolicy.ALWAYS, 2, 1000);
        for (int i = 0; i < 2; i++) {
            tracker.started(now, true);
            now += 700;
            tracker.notReadyInTime();
            tracker.ready(now - 700);
            now += 300;
            assertThat(tracker.ended(true, now).action()).isEqualTo(Action.RESTART);
            now += 100;
        }
        tracker.started(now, true);
        tracker.notReadyInTime();
        tracker.ready(now);
        assertThat(tracker.healthy(now + 1600)).as("never up").isFalse();
        assertThat(tracker.ended(true, now + 1600).action()).isEqualTo(Action.CRASH_LOOP);
    }

    /** A command reports no readiness: its long runs are up from their start, never failed starts. */
    @Test
    void longRunsOfACommandAreNoFailedStarts() {
        RestartTracker tracker = tracker(RestartPolicy.ALWAYS, 3, 60_000);
        for (int i = 0; i < 10; i++) {
            assertThat(run(tracker, 120_000, 1).action()).isEqualTo(Action.RESTART);
        }
    }

    @Test
    void restartsOlderThanTheWindowNoLongerCount() {
        RestartTracker tracker = tracker(RestartPolicy.ON_FAILURE, 2, 10_000);
        run(tracker, 10, 1);
        run(tracker, 10, 1);
        now += 10_000; // both restarts leave the window
        Decision decision = run(tracker, 10, 1);
        assertThat(decision.action()).isEqualTo(Action.RESTART);
        assertThat(decision.restartsInWindow()).isEqualTo(1);
    }

    @Test
    void resetClearsTheCrashLoopAndTheGrownDelay() {
        RestartTracker tracker = tracker(RestartPolicy.ALWAYS, 1, 60_000);
        run(tracker, 10, 1);
        assertThat(run(tracker, 10, 1).action()).isEqualTo(Action.CRASH_LOOP);
        tracker.reset();
        Decision afterReset = run(tracker, 10, 1);
        assertThat(afterReset.action()).isEqualTo(Action.RESTART);
        assertThat(afterReset.delayMillis()).isZero();
    }

    @Test
    void onFailureLeavesACleanExitDown() {
        RestartTracker tracker = tracker(RestartPolicy.ON_FAILURE, 5, 60_000);
        assertThat(run(tracker, 10, 0).action()).isEqualTo(Action.STAY_DOWN);
        assertThat(run(tracker, 10, 137).action()).isEqualTo(Action.RESTART);
    }

    @Test
    void alwaysRestartsAfterACleanExitToo() {
        assertThat(run(tracker(RestartPolicy.ALWAYS, 5, 60_000), 10, 0).action()).isEqualTo(Action.RESTART);
    }

    @Test
    void neverRestartsAndCountsNoRestart() {
        RestartTracker tracker = tracker(RestartPolicy.NEVER, 5, 60_000);
        assertThat(run(tracker, 10, 1).action()).isEqualTo(Action.STAY_DOWN);
        assertThat(tracker.restarts()).isZero();
    }

    @Test
    void noLimitMeansNoCrashLoop() {
        RestartTracker tracker = tracker(RestartPolicy.ALWAYS, 0, 60_000);
        for (int i = 0; i < 100; i++) {
            assertThat(run(tracker, 1, 1).action()).isEqualTo(Action.RESTART);
        }
    }

    @Test
    void policyKeysParse() {
        assertThat(RestartPolicy.parse("on-failure")).isEqualTo(RestartPolicy.ON_FAILURE);
        assertThat(RestartPolicy.parse(" Always ")).isEqualTo(RestartPolicy.ALWAYS);
        assertThat(RestartPolicy.NEVER.key()).isEqualTo("never");
        assertThatThrownBy(() -> RestartPolicy.parse("sometimes"))
                .hasMessageStartingWith("restart: ").hasMessageContaining("sometimes");
    }
}
