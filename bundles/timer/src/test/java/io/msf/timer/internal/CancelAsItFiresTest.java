package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A cancel, or the close of the timer's owner, that lands on another thread after the worker found the timer due
 * and before its task runs: {@link Timeout#cancel()} promises that no later run starts, and a component cancels
 * its periodic timer in its deactivate method on that promise. The worker tells of the task before it, which held
 * the thread for a second, in that very gap; the test's report of it is where the other thread's call lands.
 */
class CancelAsItFiresTest {

    private static final long START = 5_000_000_000L;
    private final AtomicLong clock = new AtomicLong(START);
    private final List<String> runs = new ArrayList<>();
    /** What the other thread does while the worker tells of the task that held it. */
    private Runnable meanwhile = () -> { };
    private final TimerWheel wheel = new TimerWheel(clock::get, new WheelSettings(10, 16, 10_000),
            new RecordingEvents() {
                @Override
                public void taskHeldWorker(String owner, Runnable task, long heldNanos) {
                    super.taskHeldWorker(owner, task, heldNanos);
                    meanwhile.run();
                }
            });
    private final TimerOwner slow = wheel.open("slow");
    private final TimerOwner alpha = wheel.open("alpha");

    @Test
    void aPeriodicTimerCancelledAfterItWasFoundDueDoesNotRun() {
        holdTheThreadAtTick(1);
        Timeout periodic = schedule(alpha, "p", 10, 10);
        meanwhile = () -> assertThat(periodic.cancel()).isTrue();

        stepTo(50);

        assertThat(runs).containsExactly("slow");
        assertThat(periodic.isCancelled()).isTrue();
        assertThat(alpha.stats()).isEqualTo(new TimerStats(0, 0, 1, 0, 0));
        assertThat(wheel.pendingCount()).isZero();
    }

    @Test
    void aOneShotTimerWhoseOwnerClosedAfterItWasFoundDueDoesNotRun() {
        holdTheThreadAtTick(1);
        Timeout oneShot = schedule(alpha, "t", 10, 0);
        meanwhile = alpha::close; // its bundle stops: none of its timers runs from then on

        stepTo(50);

        assertThat(runs).containsExactly("slow");
        assertThat(oneShot.isCancelled()).isTrue();
        assertThat(wheel.pendingCount()).isZero();
    }

    /** A task due at the tick before the other, in the same bucket, that holds the thread for a second. */
    private void holdTheThreadAtTick(int tick) {
        schedule(slow, () -> {
            runs.add("slow");
            clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        }, tick * 10L, 0);
    }

    private Timeout schedule(TimerOwner owner, String name, long delayMillis, long periodMillis) {
        return schedule(owner, () -> runs.add(name), delayMillis, periodMillis);
    }

    /** Schedules and lets the worker take the timer in at once. */
    private Timeout schedule(TimerOwner owner, Runnable task, long delayMillis, long periodMillis) {
        Timeout timeout = owner.schedule(task, TimeUnit.MILLISECONDS.toNanos(delayMillis),
                TimeUnit.MILLISECONDS.toNanos(periodMillis));
        wheel.advance();
        return timeout;
    }

    private void stepTo(long millis) {
        while (clock.get() - START < TimeUnit.MILLISECONDS.toNanos(millis)) {
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
            wheel.advance();
        }
    }
}
