package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker thread on the real clock: how it sleeps between timers that are few and far between. */
class TimerWorkerTest {

    private final TimerWheel wheel = new TimerWheel(System::nanoTime, new WheelSettings(10, 512, 10_000),
            new RecordingEvents());
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
        Thread.sleep(200); // a tick with no new timer: the worker now sleeps towards the far one

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
        TimerWheel counted = new TimerWheel(() -> {
            clockReads.incrementAndGet();
            return System.nanoTime();
        }, new WheelSettings(10, 512, 10_000), new RecordingEvents());
        TimerWorker countedWorker = new TimerWorker(counted, new RecordingEvents());
        countedWorker.start();
        try {
            counted.open("test").schedule(() -> { }, TimeUnit.SECONDS.toNanos(4), 0);
            Thread.sleep(200); // taken in, then a tick with nothing new
            long before = clockReads.get();

            Thread.sleep(500);

            assertThat(clockReads.get() - before).as("clock reads in 500 ms: a tick every 10 ms would make 100 or more")
                    .isLessThan(10);
        } finally {
            countedWorker.stop(5000);
        }
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
