package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker thread on the real clock: how it sleeps between timers that are few and far between. */
class TimerWorkerTest {

    private final AtomicLong clockReads = new AtomicLong();
    private final TimerWheel wheel = new TimerWheel(() -> {
        clockReads.incrementAndGet();
        return System.nanoTime();
    }, new WheelSettings(10, 512, 10_000), new RecordingEvents());
    private final TimerWorker worker = new TimerWorker(wheel, new RecordingEvents());
    private final TimerOwner owner = wheel.open("test");

    @AfterEach
    void stop() throws InterruptedException {
        worker.stop(5000);
    }

    @Test
    void aTimerScheduledWhileTheWorkerSleepsTowardsAFarOneIsTakenInAtOnce() throws InterruptedException {
        worker.start();
        CountDownLatch far = new CountDownLatch(1);
        owner.schedule(far::countDown, TimeUnit.SECONDS.toNanos(4), 0);
        awaitSleepingTowardsAFarTimer(worker, clockReads);

        CountDownLatch near = new CountDownLatch(1);
        long scheduled = System.nanoTime();
        owner.schedule(near::countDown, TimeUnit.MILLISECONDS.toNanos(50), 0);

        assertThat(near.await(3, TimeUnit.SECONDS)).as("the near timer fired before the far one's tick").isTrue();
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - scheduled);
        assertThat(waitedMillis).as("fired after its delay, not when the worker woke for the far timer")
                .isBetween(50L, 2000L);
        assertThat(far.getCount()).isEqualTo(1);
    }

    @Test
    void aFarTimerFiresWhenItsTickComesWithNothingElsePending() throws InterruptedException {
        worker.start();
        CountDownLatch fired = new CountDownLatch(1);
        long scheduled = System.nanoTime();
        owner.schedule(fired::countDown, TimeUnit.MILLISECONDS.toNanos(300), 0);

        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - scheduled))
                .as("woken at its tick, not a turn (5.12 s) later").isBetween(300L, 2500L);
    }

    @Test
    void withOnlyAFarTimerPendingTheWorkerDoesNotWakeAtEveryTick() throws InterruptedException {
        AtomicLong clockReads = new AtomicLong();
        worker.start();
        owner.schedule(() -> { }, TimeUnit.SECONDS.toNanos(4), 0);
        awaitSleepingTowardsAFarTimer(worker, clockReads);
        long before = clockReads.get();

        Thread.sleep(500); // the span measured, not a wait for a state

        assertThat(clockReads.get() - before).as("clock reads in 500 ms: a tick every 10 ms would make 100 or more")
                .isLessThan(10);
    }

    @Test
    void aFailureWhoseReportThrowsTooEndsNotTheThread() throws InterruptedException {
        // Felix's log reads the message of an error from outside java.*: one that throws there made the report
        // throw out of the loop's catch, and the timer thread ended for good
        RecordingEvents throwingReports = new RecordingEvents() {
            @Override
            public void workerFailed(Throwable error) {
                super.workerFailed(error);
                throw new IllegalStateException("the report of " + error.getClass().getName() + " threw");
            }
        };
        TimerWorker failing = new TimerWorker(wheel, throwingReports);
        failing.start();
        try {
            failing.submit(w -> {
                throw new IllegalArgumentException("a job's bug");
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> !throwingReports.workerFailures.isEmpty());
            CountDownLatch fired = new CountDownLatch(1);
            owner.schedule(fired::countDown, TimeUnit.MILLISECONDS.toNanos(20), 0);

            assertThat(fired.await(5, TimeUnit.SECONDS)).as("the thread goes on after the failed report").isTrue();
        } finally {
            failing.stop(5000);
        }
    }

    /**
     * Waits until the worker is parked (on itself) with a time limit and has not read the clock for 5
     * ticks: asleep towards a far timer, not between ticks, each of which reads the clock.
     */
    private static void awaitSleepingTowardsAFarTimer(TimerWorker worker, AtomicLong clockReads) {
        long[] lastRead = {-1};
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).during(Duration.ofMillis(50))
                .until(() -> {
                    long reads = clockReads.get();
                    boolean still = reads == lastRead[0];
                    lastRead[0] = reads;
                    return still && parkedOn(worker) == Thread.State.TIMED_WAITING;
                });
    }

    /** The state of the thread parked with the worker as its blocker, or null if none is. */
    private static Thread.State parkedOn(TimerWorker worker) {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> LockSupport.getBlocker(thread) == worker)
                .map(Thread::getState).findFirst().orElse(null);
    }

    /** A call racing stop() is answered, or told the service stopped: never left to time out as "blocked". */
    @Test
    void aCallRacingStopIsAnsweredOrToldTheServiceStopped() throws InterruptedException {
        for (int round = 0; round < 300; round++) {
            TimerWheel raced = new TimerWheel(System::nanoTime, new WheelSettings(10, 512, 10_000),
                    new RecordingEvents());
            TimerWorker racedWorker = new TimerWorker(raced, new RecordingEvents());
            racedWorker.start();
            AtomicReference<String> outcome = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    while (true) {
                        racedWorker.call(wheel -> 1);
                    }
                } catch (IllegalStateException e) {
                    outcome.set(e.getMessage());
                }
            });
            caller.start();
            Thread.sleep(0, 200_000);
            racedWorker.stop(5000);
            caller.join();
            assertThat(outcome.get()).as("round " + round).isEqualTo("The timer service has stopped");
        }
    }
}
