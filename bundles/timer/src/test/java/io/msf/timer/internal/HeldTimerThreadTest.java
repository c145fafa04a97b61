package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.timer.api.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A timer task that holds the timer thread: it sleeps, waits or computes for long. Every timer due meanwhile runs
 * late, which is told once per owner with the task and how long it held the thread; and a timer service closed
 * meanwhile (its bundle stops) no longer waits up to five seconds for the thread to cancel its timers, which made
 * a container with a few such bundles overrun its stop timeout without a word why.
 */
class HeldTimerThreadTest {

    private static final long START = 5_000_000_000L;
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private final AtomicLong clock = new AtomicLong(START);
    private final RecordingEvents events = new RecordingEvents();

    @Test
    void aTaskThatHeldTheThreadForASecondIsToldOfOncePerOwner() {
        TimerWheel wheel = fakeClockWheel();
        TimerOwner slow = wheel.open("io.example.slow");
        slow.schedule(named("the slow task", () -> clock.addAndGet(ms(1500))), ms(10), 0);
        slow.schedule(named("the slow task again", () -> clock.addAndGet(ms(1500))), ms(20), 0);

        stepTo(wheel, 2000);

        assertThat(events.holdingTasks).containsExactly("io.example.slow:the slow task");
    }

    @Test
    void eachTaskOfATickIsMeasuredAloneWhetherATaskFollowsItOrNot() {
        TimerWheel wheel = fakeClockWheel();
        TimerOwner first = wheel.open("io.example.first");
        TimerOwner second = wheel.open("io.example.second");
        TimerOwner quick = wheel.open("io.example.quick");
        first.schedule(named("held 1000 ms", () -> clock.addAndGet(ms(1000))), ms(10), 0);
        quick.schedule(named("held 999 ms", () -> clock.addAndGet(ms(999))), ms(10), 0);
        second.schedule(named("held 1200 ms", () -> clock.addAndGet(ms(1200))), ms(10), 0);

        stepTo(wheel, 30); // all three due at one tick; the last is measured as the turn ends

        assertThat(events.holdingTasks)
                .containsExactlyInAnyOrder("io.example.first:held 1000 ms", "io.example.second:held 1200 ms");
    }

    @Test
    void closingOwnersWhileATaskHoldsTheThreadWaitsForNoneAndNoneOfTheirTimersRuns() throws InterruptedException {
        Timers timers = new Timers(new WheelSettings(1, 64, 1000), System::nanoTime, events);
        OwnerTimerService slow = new OwnerTimerService(timers, "io.example.slow");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        slow.schedule(named("the waiting task", () -> {
            holding.countDown();
            awaitQuietly(released);
        }), 1, TimeUnit.MILLISECONDS);
        try {
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicBoolean ranAfterClose = new AtomicBoolean();
            List<OwnerTimerService> stopping = new ArrayList<>();
            List<Timeout> theirs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                OwnerTimerService owner = new OwnerTimerService(timers, "io.example.stopping" + i);
                theirs.add(owner.schedule(() -> { }, 1, TimeUnit.HOURS));
                theirs.add(owner.schedule(() -> ranAfterClose.set(true), 1, TimeUnit.MILLISECONDS));
                stopping.add(owner);
            }

            long closing = System.nanoTime();
            stopping.forEach(OwnerTimerService::close);
            long closedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);

            // The old code waited ANSWER_TIMEOUT_MILLIS (5 s) for each: 20 s here.
            assertThat(closedMillis).as("four closes").isLessThan(TimerWorker.ANSWER_TIMEOUT_MILLIS);
            assertThat(events.ownersLeftToWorker).hasSize(4).allSatisfy(told -> assertThat(told)
                    .contains("a task (" + NamedTask.class.getName() + ") of io.example.slow has held the timer"
                            + " thread msf-timer for"));
            released.countDown();
            await().atMost(PATIENCE).until(() -> events.closedOwners.size() == 4);
            assertThat(events.closedOwners).containsExactlyInAnyOrder("io.example.stopping0:2",
                    "io.example.stopping1:2", "io.example.stopping2:2", "io.example.stopping3:2");
            assertThat(theirs).allMatch(Timeout::isCancelled);
            assertThat(ranAfterClose).isFalse();
        } finally {
            released.countDown();
            assertThat(timers.stop(5000)).isTrue();
        }
    }

    private TimerWheel fakeClockWheel() {
        return new TimerWheel(clock::get, new WheelSettings(10, 16, 1000), events);
    }

    private void stepTo(TimerWheel wheel, long millis) {
        while (clock.get() < START + ms(millis)) {
            clock.addAndGet(ms(1));
            wheel.advance();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Runnable named(String name, Runnable body) {
        return new NamedTask(name, body);
    }

    private record NamedTask(String name, Runnable body) implements Runnable {

        @Override
        public void run() {
            body.run();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
