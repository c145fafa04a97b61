package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * maxPending against a timer task that blocks the timer thread while another thread schedules and
 * cancels in a loop: the cancelled timers wait in the inbound queue until the thread takes them in.
 * On a fake clock; a thread of the test plays the worker held by the task, the test thread the
 * caller. maxPending is {@value #MAX_PENDING}; each loop runs five times as many schedule + cancel.
 */
@Timeout(30)
class HeldWorkerBoundTest {

    private static final long START = 5_000_000_000L;
    private static final int MAX_PENDING = 1000;
    private static final int LOOP = 5 * MAX_PENDING;
    private final AtomicLong clock = new AtomicLong(START);
    private final TimerWheel wheel = new TimerWheel(clock::get, new WheelSettings(10, 16, MAX_PENDING),
            new RecordingEvents());
    private final TimerOwner slow = wheel.open("io.example.slow");
    private final TimerOwner busy = wheel.open("io.example.busy");
    private final CountDownLatch taskStarted = new CountDownLatch(1);
    private final CountDownLatch taskReleased = new CountDownLatch(1);
    private Thread worker;

    @AfterEach
    void releaseTheWorker() throws InterruptedException {
        taskReleased.countDown();
        if (worker != null) {
            worker.join();
        }
    }

    @Test
    void aScheduleCancelLoopIsRefusedOnceATaskHasHeldTheThreadPastTheLimit() throws InterruptedException {
        startBlockingTaskAt(10);
        for (int i = 0; i < 300; i++) {
            busy.schedule(() -> { }, ms(60_000), 0); // live ones count as ever
        }
        clock.set(START + ms(10 + 1001));

        int accepted = 0;
        Throwable refusal = null;
        while (refusal == null && accepted < 100 * MAX_PENDING) {
            refusal = catchThrowable(() -> busy.schedule(() -> { }, ms(60_000), 0).cancel());
            accepted += refusal == null ? 1 : 0;
        }

        assertThat(refusal).as("refused after %d schedule + cancel", accepted)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("io.example.busy")
                .hasMessageContaining("io.example.slow")
                .hasMessageContaining("held the timer thread")
                .hasMessageContaining("maxPending");
        // The running task's own timer leaves the count only at the end of the worker's turn.
        assertThat(accepted).as("cancelled timers waiting in the queue").isEqualTo(MAX_PENDING - 300 - 1);
    }

    @Test
    void onceTheTaskEndsTheQueueDrainsAndSchedulesWorkAgain() throws InterruptedException {
        startBlockingTaskAt(10);
        clock.set(START + ms(10 + 2000));
        int accepted = scheduleAndCancelUntilRefused();

        taskReleased.countDown();
        worker.join();
        busy.schedule(() -> { }, ms(60_000), 0).cancel(); // at once, before the worker drains
        wheel.advance();

        assertThat(busy.stats().cancelled()).as("taken in and counted").isEqualTo(accepted + 1);
        assertThat(scheduleAndCancel(LOOP)).as("nothing left in the queue holds a place").isEqualTo(LOOP);
    }

    @Test
    void aTaskThatHasRunForLessThanTheLimitIsNotRefused() throws InterruptedException {
        // A worker preempted in the middle of a short task on a busy machine looks like this.
        startBlockingTaskAt(10);
        clock.set(START + ms(10 + 999));

        assertThat(scheduleAndCancel(LOOP)).isEqualTo(LOOP);
    }

    @Test
    void aWorkerThatRunsLateWithoutATaskIsNotRefused() {
        wheel.advance();
        clock.set(START + ms(10_000)); // starved: no tick for ten seconds, and no task running

        assertThat(scheduleAndCancel(LOOP)).isEqualTo(LOOP);
        wheel.advance();
        assertThat(busy.stats().cancelled()).isEqualTo(LOOP);
    }

    @Test
    void manyShortTasksInARowDoNotAddUpToAHold() {
        // Forty tasks due at one tick, 50 ms each: the thread is busy for two seconds without a drain,
        // but no task holds it, and each schedules and cancels as it runs.
        int[] accepted = {0};
        for (int i = 0; i < 40; i++) {
            slow.schedule(() -> {
                clock.addAndGet(ms(50));
                accepted[0] += scheduleAndCancel(100);
            }, ms(10), 0);
        }
        wheel.advance();
        clock.set(START + ms(10));

        wheel.advance();

        assertThat(slow.stats().fired()).isEqualTo(40);
        assertThat(accepted[0]).isEqualTo(40 * 100);
    }

    /** Schedules a task of slow's, due at {@code millis}, and lets a worker thread run it: it holds the thread. */
    private void startBlockingTaskAt(long millis) throws InterruptedException {
        slow.schedule(() -> {
            taskStarted.countDown();
            try {
                taskReleased.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, ms(millis), 0);
        wheel.advance();
        clock.set(START + ms(millis));
        worker = new Thread(wheel::advance, "held-worker");
        worker.start();
        assertThat(taskStarted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private int scheduleAndCancelUntilRefused() {
        int accepted = scheduleAndCancel(100 * MAX_PENDING);
        assertThat(accepted).as("refused at the bound").isLessThan(100 * MAX_PENDING);
        return accepted;
    }

    /** Schedules and cancels up to {@code times} timers of busy's; how many were accepted before a refusal. */
    private int scheduleAndCancel(int times) {
        for (int i = 0; i < times; i++) {
            try {
                busy.schedule(() -> { }, ms(60_000), 0).cancel();
            } catch (IllegalStateException refused) {
                return i;
            }
        }
        return times;
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
