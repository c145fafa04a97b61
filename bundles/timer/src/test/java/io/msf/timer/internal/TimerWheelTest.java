package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.msf.timer.api.PendingTimers;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerInfo;
import io.msf.timer.api.TimerStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The wheel driven by hand on a fake clock: the test thread plays the worker, so every step is
 * deterministic. Tick 10 ms, 16 buckets: one turn is 160 ms. Unless a test says otherwise, the
 * worker takes a timer in the moment it is scheduled, as an idle worker does.
 */
class TimerWheelTest {

    private static final long START = 5_000_000_000L; // any origin: the wheel counts from its own
    private final AtomicLong clock = new AtomicLong(START);
    private final RecordingEvents events = new RecordingEvents();
    private final TimerWheel wheel = new TimerWheel(clock::get, new WheelSettings(10, 16, 10_000), events);
    private final TimerOwner alpha = wheel.open("alpha");
    private final TimerOwner beta = wheel.open("beta");
    private final List<String> runs = new ArrayList<>();

    @Test
    void firesInDeadlineOrderAcrossTurns() {
        schedule(alpha, "c", 30);
        schedule(alpha, "later-turn", 10 + 160);
        schedule(alpha, "a", 10);
        schedule(beta, "b", 20);

        stepTo(200);

        assertThat(runs).containsExactly("a@10", "b@20", "c@30", "later-turn@170");
    }

    @Test
    void firesAtTheFirstTickAtOrAfterItsDeadlineNeverBefore() {
        stepTo(3);
        schedule(alpha, "t", 25); // deadline 28 ms

        stepTo(20);
        assertThat(runs).isEmpty();
        stepTo(27);
        assertThat(runs).isEmpty();
        stepTo(30);
        assertThat(runs).containsExactly("t@30");
    }

    @Test
    void aTimerDueInALaterTurnIsNotFiredWhenItsBucketComesEarlier() {
        schedule(alpha, "t", 165); // bucket of tick 17, which also comes round at tick 1

        stepTo(160);
        assertThat(runs).isEmpty();
        stepTo(170);
        assertThat(runs).containsExactly("t@170");
    }

    @Test
    void theDelayCountsFromWhenTheWorkerTakesTheTimerIn() {
        clock.set(START + ms(3));
        alpha.schedule(record("t"), ms(25), 0); // handed over while the worker is busy

        clock.set(START + ms(10)); // the worker's next tick takes it in: deadline 35 ms
        wheel.advance();
        stepTo(39);
        assertThat(runs).as("never before 3 + 25 ms, nor before 10 + 25 ms").isEmpty();
        stepTo(40);
        assertThat(runs).as("within two ticks of 3 + 25 ms").containsExactly("t@40");
    }

    @Test
    void zeroDelayFiresAtTheNextTick() {
        stepTo(12);
        schedule(alpha, "now", 0);
        stepTo(20);
        assertThat(runs).containsExactly("now@20");
    }

    @Test
    void cancelBeforeFireStopsIt() {
        Timeout inWheel = schedule(alpha, "cancelled-later", 50);
        stepTo(10);
        Timeout handedOver = alpha.schedule(record("cancelled-at-once"), ms(50), 0);

        assertThat(handedOver.cancel()).isTrue();
        assertThat(inWheel.cancel()).isTrue();
        assertThat(inWheel.cancel()).as("second cancel").isFalse();
        stepTo(100);

        assertThat(runs).isEmpty();
        assertThat(handedOver.isCancelled()).isTrue();
        assertThat(inWheel.isCancelled()).isTrue();
        assertThat(inWheel.isExpired()).isFalse();
    }

    @Test
    void cancelAfterFireReturnsFalse() {
        Timeout timeout = schedule(alpha, "t", 10);
        stepTo(10);

        assertThat(timeout.isExpired()).isTrue();
        assertThat(timeout.cancel()).isFalse();
        assertThat(timeout.isCancelled()).isFalse();
    }

    @Test
    void periodicRunsAtFixedRateUntilCancelled() {
        Timeout timeout = schedule(alpha, record("p"), 10, 30);

        stepTo(100);
        assertThat(runs).containsExactly("p@10", "p@40", "p@70", "p@100");
        assertThat(timeout.isExpired()).isFalse();

        assertThat(timeout.cancel()).isTrue();
        stepTo(300);
        assertThat(runs).hasSize(4);
        assertThat(timeout.isCancelled()).isTrue();
    }

    @Test
    void aLateRunDoesNotPushTheNextOnesBack() {
        schedule(alpha, record("p"), 30, 30);

        clock.set(START + ms(50)); // the worker was held up: tick 3 is processed at 50 ms
        wheel.advance();
        stepTo(120);

        assertThat(runs).containsExactly("p@50", "p@60", "p@90", "p@120");
        assertThat(alpha.stats().late()).isEqualTo(1);
    }

    /**
     * A busy worker takes a timer in just after a tick, so a delay of whole ticks puts its deadline
     * just after a tick too, and the first tick at or after it is almost a tick later. A run at that
     * tick is on time, however many microseconds after the tick came it starts.
     */
    @Test
    void aRunAtTheFirstTickAfterItsDeadlineIsNotLate() {
        schedule(alpha, "keeps-the-worker-ticking", 1000);
        clock.set(START + ms(10) + us(5)); // tick 1, whose drain takes the timer in 5 µs after it came
        alpha.schedule(record("t"), ms(10), 0); // deadline 20.005 ms: due at tick 3
        wheel.advance();

        clock.set(START + ms(30) + us(8)); // tick 3, processed 8 µs after it came
        wheel.advance();

        assertThat(runs).containsExactly("t@30");
        assertThat(alpha.stats().late()).isZero();
    }

    /**
     * Deadlines of a period of one tick, taken in just after a tick, fall just after each tick. A
     * tick processed a few microseconds later than that must not take the next deadline, due at the
     * next tick, for a missed run: the timer would run only every other tick.
     */
    @Test
    void aPeriodOfOneTickRunsAtEveryTick() {
        schedule(alpha, "keeps-the-worker-ticking", 1000);
        clock.set(START + ms(10) + us(5));
        alpha.schedule(record("p"), ms(10), ms(10)); // deadlines 20.005, 30.005, ... ms
        wheel.advance();

        for (long tick = 3; tick <= 6; tick++) {
            clock.set(START + ms(tick * 10) + us(8));
            wheel.advance();
        }

        assertThat(runs).containsExactly("p@30", "p@40", "p@50", "p@60");
        assertThat(alpha.stats().late()).isZero();
    }

    @Test
    void runsMissedByAWholePeriodAreSkippedNotBunched() {
        schedule(alpha, record("p"), 30, 30);

        clock.set(START + ms(1000)); // a long pause: 32 runs are overdue
        wheel.advance();
        stepTo(1050);

        // One catch-up run, then back on the original grid (30, 60, ... 1020, 1050).
        assertThat(runs).containsExactly("p@1000", "p@1020", "p@1050");
    }

    @Test
    void aLongPauseStillFiresEveryDueTimerOnce() {
        for (int delay = 10; delay <= 1000; delay += 10) {
            schedule(alpha, "t" + delay, delay);
        }
        schedule(alpha, "after-pause", 1500);

        clock.set(START + ms(1200)); // more than seven turns
        wheel.advance();

        assertThat(runs).hasSize(100).allMatch(run -> run.endsWith("@1200"));
        stepTo(1500);
        assertThat(runs).hasSize(101).last().isEqualTo("after-pause@1500");
    }

    @Test
    void closingAnOwnerCancelsOnlyItsTimers() {
        schedule(alpha, "alpha-in-wheel", 50);
        schedule(beta, "beta", 50);
        stepTo(10);
        Timeout handedOver = alpha.schedule(record("alpha-handed-over"), ms(50), 0);

        alpha.close();
        assertThat(wheel.sweep(alpha)).isEqualTo(2);
        stepTo(100);

        assertThat(runs).containsExactly("beta@50");
        assertThat(handedOver.isCancelled()).isTrue();
        assertThat(alpha.stats()).isEqualTo(new TimerStats(0, 0, 2, 0, 0));
        assertThatThrownBy(() -> schedule(alpha, "too-late", 10))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("alpha");
    }

    @Test
    void aTimerOfAClosedOwnerNeverRunsEvenBeforeTheSweep() {
        schedule(alpha, "t", 10);
        alpha.close();
        stepTo(50);

        assertThat(runs).isEmpty();
        assertThat(alpha.stats().cancelled()).isEqualTo(1);
    }

    @Test
    void statsCountPerOwnerAndOverall() {
        schedule(alpha, "fires", 10);
        schedule(alpha, "fires-late", 20);
        schedule(alpha, "stays", 500);
        schedule(beta, "cancelled", 10).cancel();
        schedule(beta, () -> {
            throw new IllegalStateException("boom");
        }, 10, 0);

        stepTo(10);
        clock.set(START + ms(40)); // tick 2 processed 20 ms after its deadline: late
        wheel.advance();

        assertThat(alpha.stats()).isEqualTo(new TimerStats(1, 2, 0, 1, 0));
        assertThat(beta.stats()).isEqualTo(new TimerStats(0, 1, 1, 0, 1));
        assertThat(wheel.stats()).isEqualTo(new TimerStats(1, 3, 1, 1, 1));
        assertThat(wheel.pendingCount()).isEqualTo(1);
    }

    @Test
    void statsOfAnOwnerSurviveItsRestart() {
        schedule(alpha, "t", 10);
        stepTo(10);
        alpha.close();

        TimerOwner again = wheel.open("alpha");
        schedule(again, "u", 10);
        stepTo(20);

        assertThat(again.stats().fired()).isEqualTo(2);
    }

    @Test
    void aThrowingTaskIsReportedAndTheWheelGoesOn() {
        Runnable bad = () -> {
            throw new IllegalStateException("boom");
        };
        Timeout failed = schedule(alpha, bad, 10, 0);
        schedule(alpha, "next", 10);
        schedule(alpha, "later", 20);

        stepTo(20);

        assertThat(runs).containsExactly("next@10", "later@20");
        assertThat(failed.isExpired()).isTrue();
        assertThat(events.taskFailures).singleElement().satisfies(failure -> {
            assertThat(failure.owner()).isEqualTo("alpha");
            assertThat(failure.task()).isSameAs(bad);
            assertThat(failure.periodicCancelled()).isFalse();
            assertThat(failure.error()).hasMessage("boom");
        });
    }

    /**
     * Logging a task's failure reads the task's {@code toString()} and the error's message, which may throw
     * too: out of the report, that ended the tick's walk of its bucket, and the timers after the task in it
     * fired a whole turn late.
     */
    @Test
    void aReportOfAFailureThatThrowsTooHoldsUpNoOtherTimerOfTheTick() {
        assertThat(sameTickAfterAFailedReport(false)).containsExactly("same-tick@10");
        assertThat(events.workerFailures).singleElement()
                .satisfies(failure -> assertThat(failure).hasMessage("the task's toString()"));
    }

    @Test
    void evenWhenTheReportOfThatFailureThrowsToo() {
        assertThat(sameTickAfterAFailedReport(true)).containsExactly("same-tick@10");
    }

    /** The runs of a timer due in the tick of a task that throws, whose report throws (and that one's too). */
    private List<String> sameTickAfterAFailedReport(boolean secondReportThrows) {
        TimerEvents reportThrows = new TimerEvents() {
            @Override
            public void taskFailed(String owner, Runnable task, boolean periodicCancelled, Throwable error) {
                throw new NullPointerException("the task's toString()");
            }

            @Override
            public void workerFailed(Throwable error) {
                events.workerFailed(error);
                if (secondReportThrows) {
                    throw new NullPointerException("the error's getMessage()");
                }
            }

            @Override
            public void taskLeftInterrupt(String owner, Runnable task) {
            }

            @Override
            public void taskHeldWorker(String owner, Runnable task, long heldNanos) {
            }

            @Override
            public void ownerClosed(String owner, long cancelledTimers) {
            }

            @Override
            public void ownerSweepLeft(String owner, TaskHold hold) {
            }

            @Override
            public void ownerSweepLate(String owner, RuntimeException cause) {
            }

            @Override
            public void reconfigured(WheelSettings settings, long pendingTimers) {
            }
        };
        TimerWheel reporting = new TimerWheel(clock::get, new WheelSettings(10, 16, 10_000), reportThrows);
        TimerOwner owner = reporting.open("alpha");
        owner.schedule(() -> {
            throw new IllegalStateException("boom");
        }, ms(10), 0);
        owner.schedule(record("same-tick"), ms(10), 0);
        reporting.advance();

        for (long at = 1; at <= 10; at++) {
            clock.set(START + ms(at));
            reporting.advance();
        }
        return runs;
    }

    @Test
    void aThrowingPeriodicTaskIsCancelled() {
        AtomicLong attempts = new AtomicLong();
        Timeout periodic = schedule(alpha, () -> {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("bad period");
        }, 10, 10);

        stepTo(100);

        assertThat(attempts).hasValue(1);
        assertThat(periodic.isCancelled()).isTrue();
        assertThat(events.taskFailures).singleElement()
                .satisfies(failure -> assertThat(failure.periodicCancelled()).isTrue());
        assertThat(alpha.stats()).isEqualTo(new TimerStats(0, 1, 1, 0, 1));
    }

    @Test
    void schedulingBeyondMaxPendingIsRefusedNamingTheOwner() {
        TimerWheel small = new TimerWheel(clock::get, new WheelSettings(10, 16, 3), events);
        TimerOwner owner = small.open("io.example.busy");
        Timeout first = owner.schedule(() -> { }, ms(100), 0);
        owner.schedule(() -> { }, ms(100), 0);
        owner.schedule(() -> { }, ms(100), 0);

        assertThatThrownBy(() -> owner.schedule(() -> { }, ms(100), 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("io.example.busy")
                .hasMessageContaining("3 timers are pending")
                .hasMessageContaining("maxPending");

        first.cancel(); // frees its place at once, before the wheel has even taken it in
        owner.schedule(() -> { }, ms(100), 0);
        assertThat(small.pendingCount()).isEqualTo(3);
        small.advance();
        assertThat(owner.stats().pending()).isEqualTo(3);
    }

    @Test
    void theWorkersTurnFreesTheCountStripesOfThreadsThatEndedKeepingTheirTimersCounted() throws InterruptedException {
        int free = wheel.freeCountStripes();
        Thread scheduler = new Thread(() -> alpha.schedule(record("from-ended-thread"), ms(50), 0));
        scheduler.start();
        scheduler.join();
        assertThat(wheel.freeCountStripes()).isEqualTo(free - 1);

        wheel.advance();

        assertThat(wheel.freeCountStripes()).isEqualTo(free);
        assertThat(wheel.pendingCount()).isEqualTo(1);
        stepTo(60);
        assertThat(runs).containsExactly("from-ended-thread@50");
        assertThat(wheel.pendingCount()).isZero();
    }

    @Test
    void cancelledEntriesArePurgedOnceTheyOutnumberLiveOnes() {
        List<Timeout> timeouts = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            timeouts.add(schedule(alpha, "t", 60_000));
        }
        stepTo(10);
        assertThat(wheel.entries()).isEqualTo(5000);

        timeouts.subList(0, 2000).forEach(Timeout::cancel);
        stepTo(20);
        assertThat(wheel.entries()).as("below the purge threshold").isEqualTo(5000);

        timeouts.subList(2000, 4000).forEach(Timeout::cancel);
        stepTo(30);
        assertThat(wheel.entries()).isEqualTo(1000);
        assertThat(alpha.stats().pending()).isEqualTo(1000);
    }

    @Test
    void aFloodIsTakenInOverSeveralTurnsSoThatTicksGoOn() {
        TimerWheel big = new TimerWheel(clock::get, new WheelSettings(10, 16, 200_000), events);
        TimerOwner owner = big.open("flood");
        for (int i = 0; i < 100_000; i++) {
            owner.schedule(() -> { }, ms(60_000), 0);
        }

        big.advance();
        assertThat(big.entries()).isEqualTo(65536);
        assertThat(big.nanosToNextTick()).as("more waiting: no sleep").isZero();
        big.advance();
        assertThat(big.entries()).isEqualTo(100_000);
        assertThat(big.nanosToNextTick()).isPositive();
    }

    @Test
    void aListingTakesInTheTimersScheduledBeforeItNotAFloodThatKeepsComing() {
        FloodedWheel flooded = new FloodedWheel();
        flooded.listed.schedule(record("listed"), ms(100), 0);

        flooded.start();
        PendingTimers listing = flooded.wheel.soonest(null, 10);
        flooded.stop();

        assertThat(listing.soonest()).extracting(TimerInfo::owner).containsExactly("listed");
        assertThat(flooded.takenIn()).as("timers of the flood the listing took in, every timer late meanwhile")
                .isZero();
    }

    @Test
    void aSweepTakesInTheTimersScheduledBeforeItNotAFloodThatKeepsComing() {
        FloodedWheel flooded = new FloodedWheel();
        flooded.listed.schedule(record("swept"), ms(100), 0);
        flooded.listed.close();

        flooded.start();
        long swept = flooded.wheel.sweep(flooded.listed);
        flooded.stop();

        assertThat(swept).isEqualTo(1);
        assertThat(flooded.takenIn()).as("timers of the flood the sweep took in, every timer late meanwhile")
                .isZero();
    }

    /**
     * A wheel whose clock, read as the worker takes timers in, brings more timers (scheduled and cancelled at
     * once, as timeouts are) than one take-in of a tick takes: what threads that schedule faster than the
     * worker takes timers in do, here on the test's own thread so that it happens at each read. It stops
     * after {@value #FLOODS} reads, so that a wheel that waits for the flood to end still returns.
     */
    private final class FloodedWheel {
        private static final int FLOODS = 8;
        private static final int PER_FLOOD = 65_537;
        private final AtomicLong floods = new AtomicLong(-1);
        final TimerWheel wheel = new TimerWheel(this::readClock, new WheelSettings(10, 16, 10_000), events);
        private final TimerOwner flood = wheel.open("flood");
        final TimerOwner listed = wheel.open("listed");

        void start() {
            floods.set(0);
        }

        void stop() {
            floods.set(FLOODS);
        }

        /** Timers of the flood the worker took in (and dropped, cancelled). */
        long takenIn() {
            return flood.stats().cancelled();
        }

        private long readClock() {
            if (floods.get() >= 0 && floods.getAndIncrement() < FLOODS) {
                for (int i = 0; i < PER_FLOOD; i++) {
                    flood.schedule(() -> { }, ms(60_000), 0).cancel();
                }
            }
            return clock.get();
        }
    }

    @Test
    void snapshotListsPendingTimersSoonestFirst() {
        Runnable named = new Runnable() {
            @Override
            public void run() {
            }

            @Override
            public String toString() {
                return "named task";
            }
        };
        stepTo(5);
        schedule(beta, named, 300, 1000);
        schedule(alpha, "soon", 100);
        schedule(alpha, "cancelled", 50).cancel();

        clock.set(START + ms(50));
        List<TimerInfo> pending = wheel.snapshot();

        assertThat(pending).extracting(TimerInfo::owner, TimerInfo::remainingMillis, TimerInfo::periodMillis)
                .containsExactly(
                        tuple("alpha", 55L, 0L),
                        tuple("beta", 255L, 1000L));
        assertThat(pending.get(1).task()).isEqualTo("named task");
        assertThat(pending).extracting(TimerInfo::id).doesNotHaveDuplicates();
    }

    @Test
    void reconfiguringCarriesEveryPendingTimerOver() {
        schedule(alpha, "a", 55);
        schedule(alpha, "b", 400);
        schedule(alpha, record("p"), 30, 100);
        stepTo(30);

        wheel.reconfigure(new WheelSettings(25, 64, 10_000));
        stepTo(450);

        // Tick now 25 ms: each fires at the first 25 ms tick at or after its deadline.
        assertThat(runs).containsExactly("p@30", "a@75", "p@150", "p@250", "p@350", "b@400", "p@450");
        assertThat(alpha.stats().pending()).isEqualTo(1);
    }

    @Test
    void reconfiguringToAFinerTickNeverFiresEarly() {
        schedule(alpha, "a", 95);
        stepTo(40);

        wheel.reconfigure(new WheelSettings(1, 1024, 10_000));
        stepTo(94);
        assertThat(runs).isEmpty();
        stepTo(95);
        assertThat(runs).containsExactly("a@95");
    }

    @Test
    void reconfiguringAppliesANewBound() {
        wheel.reconfigure(new WheelSettings(10, 16, 1));
        schedule(alpha, "one", 10);

        assertThatThrownBy(() -> schedule(alpha, "two", 10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void idleWhenNothingIsPending() {
        assertThat(wheel.nanosToNextTick()).isEqualTo(TimerWheel.IDLE);
        Timeout timeout = schedule(alpha, "t", 10);
        assertThat(wheel.nanosToNextTick()).isEqualTo(ms(10));
        timeout.cancel();
        stepTo(10);
        assertThat(wheel.nanosToNextTick()).isEqualTo(TimerWheel.IDLE);
    }

    @Test
    void whileTimersArriveTheWorkerTicks() {
        schedule(alpha, "t", 100);

        assertThat(wheel.nanosToNextTimer(wheel.nanosToNextTick())).as("a timer arrived in this tick")
                .isEqualTo(ms(10));
    }

    @Test
    void onceATickBringsNoTimerTheWorkerMaySleepUntilTheNextTimersTick() {
        schedule(alpha, "t", 100);
        stepTo(10);

        assertThat(wheel.nanosToNextTick()).isEqualTo(ms(10));
        assertThat(wheel.nanosToNextTimer(wheel.nanosToNextTick())).isEqualTo(ms(90));
    }

    @Test
    void sleepingThroughTheEmptyTicksFiresOnTime() {
        schedule(alpha, "t", 100);
        stepTo(10);

        clock.addAndGet(wheel.nanosToNextTimer(wheel.nanosToNextTick())); // the worker wakes when it was told it may
        wheel.advance();

        assertThat(runs).containsExactly("t@100");
        assertThat(alpha.stats().late()).isZero();
    }

    @Test
    void aTimerOfALaterTurnWakesTheWorkerWhenItsBucketComesRound() {
        schedule(alpha, "far", 330); // tick 33: bucket 1, which comes round at ticks 1, 17 and 33
        stepTo(10);

        assertThat(wheel.nanosToNextTimer(wheel.nanosToNextTick())).isEqualTo(ms(160));
        clock.addAndGet(ms(160));
        wheel.advance();
        assertThat(runs).isEmpty();
        assertThat(wheel.nanosToNextTimer(wheel.nanosToNextTick())).isEqualTo(ms(160));
        clock.addAndGet(ms(160));
        wheel.advance();
        assertThat(runs).containsExactly("far@330");
    }

    private Timeout schedule(TimerOwner owner, String name, long delayMillis) {
        return schedule(owner, record(name), delayMillis, 0);
    }

    /** Schedules and lets the worker take the timer in at once. */
    private Timeout schedule(TimerOwner owner, Runnable task, long delayMillis, long periodMillis) {
        Timeout timeout = owner.schedule(task, ms(delayMillis), ms(periodMillis));
        wheel.advance();
        return timeout;
    }

    private Runnable record(String name) {
        return () -> runs.add(name + "@" + TimeUnit.NANOSECONDS.toMillis(clock.get() - START));
    }

    /** Moves the clock to {@code millis} a millisecond at a time, as a punctual worker sees it. */
    private void stepTo(long millis) {
        for (long at = TimeUnit.NANOSECONDS.toMillis(clock.get() - START) + 1; at <= millis; at++) {
            clock.set(START + ms(at));
            wheel.advance();
        }
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static long us(long micros) {
        return TimeUnit.MICROSECONDS.toNanos(micros);
    }

    /**
     * A task whose toString() recurses without end (a task that names itself through a field that names the task)
     * threw StackOverflowError out of the listing: timer:list failed for every timer of the container.
     */
    @Test
    void aTaskWhoseToStringOverflowsTheStackIsDescribedByItsClass() {
        Runnable recursive = new Runnable() {
            @Override
            public void run() {
            }

            @Override
            public String toString() {
                return "task " + this;
            }
        };

        assertThat(TimerWheel.describe(recursive)).isEqualTo(recursive.getClass().getName()
                + " (toString() threw java.lang.StackOverflowError)");
    }
}
