package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.msf.timer.api.PendingTimers;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerInfo;
import io.msf.timer.api.TimerService;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The timers through the owner's TimerService. */
class TimersTest extends TwoBundlesOnRealTimers {

    @Test
    void tasksRunOnTheTimerThread() {
        CompletableFuture<String> thread = new CompletableFuture<>();
        app.schedule(() -> thread.complete(Thread.currentThread().getName()), 5, TimeUnit.MILLISECONDS);

        assertThat(thread).succeedsWithin(PATIENCE).isEqualTo("msf-timer");
    }

    @Test
    void anIdleWorkerWakesForANewTimer() throws Exception {
        CompletableFuture<Thread> worker = new CompletableFuture<>();
        app.schedule(() -> worker.complete(Thread.currentThread()), 1, TimeUnit.MILLISECONDS);
        Thread thread = worker.get(10, TimeUnit.SECONDS);
        // nothing pending: the worker parks until woken (WAITING: parked with no time limit)
        await().atMost(PATIENCE).until(() -> thread.getState() == Thread.State.WAITING);

        CountDownLatch second = new CountDownLatch(1);
        app.schedule(second::countDown, 1, TimeUnit.MILLISECONDS);
        assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void periodicTimerRunsUntilCancelled() {
        CountDownLatch runs = new CountDownLatch(3);
        Timeout timeout = app.scheduleAtFixedRate(runs::countDown, 0, 2, TimeUnit.MILLISECONDS);

        await().atMost(PATIENCE).until(() -> runs.getCount() == 0);
        assertThat(timeout.cancel()).isTrue();
        await().atMost(PATIENCE).until(() -> app.ownStats().pending() == 0);
        assertThat(app.ownStats().cancelled()).isEqualTo(1);
    }

    @Test
    void closingAnOwnerCancelsItsTimersBeforeReturning() {
        Timeout mine = app.schedule(() -> { }, 1, TimeUnit.HOURS);
        Timeout periodic = app.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
        Timeout theirs = other.schedule(() -> { }, 1, TimeUnit.HOURS);

        app.close();

        assertThat(mine.isCancelled()).isTrue();
        assertThat(periodic.isCancelled()).isTrue();
        assertThat(theirs.isCancelled()).isFalse();
        assertThat(events.closedOwners).containsExactly("io.example.app:2");
        assertThatThrownBy(() -> app.schedule(() -> { }, 1, TimeUnit.SECONDS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("io.example.app");
    }

    @Test
    void aTaskMayCloseItsOwnerAndListTimersWithoutDeadlock() {
        other.schedule(() -> { }, 1, TimeUnit.HOURS);
        AtomicReference<List<TimerInfo>> seen = new AtomicReference<>();
        app.schedule(() -> {
            seen.set(app.pending());
            app.close();
        }, 1, TimeUnit.MILLISECONDS);

        await().atMost(PATIENCE).until(() -> events.closedOwners.contains("io.example.app:0"));
        assertThat(seen.get()).extracting(TimerInfo::owner).containsExactly("io.example.other");
    }

    @Test
    void pendingListsEveryOwnersTimersSoonestFirst() {
        other.schedule(() -> { }, 2, TimeUnit.HOURS);
        app.scheduleAtFixedRate(() -> { }, 1, 3, TimeUnit.HOURS);

        List<TimerInfo> pending = app.pending();

        assertThat(pending).extracting(TimerInfo::owner).containsExactly("io.example.app", "io.example.other");
        assertThat(pending.get(0).periodMillis()).isEqualTo(TimeUnit.HOURS.toMillis(3));
        assertThat(pending.get(0).remainingMillis()).isBetween(0L, TimeUnit.HOURS.toMillis(1));
    }

    /**
     * timer:list asked for every pending timer, each described by its task's toString() on the timer
     * thread, to show 100: with a million pending, the wheel stood still meanwhile.
     */
    @Test
    void aBoundedListingDescribesOnlyTheTimersItReturns() {
        AtomicInteger described = new AtomicInteger();
        for (int i = 0; i < 900; i++) { // maxPending is 1000 here
            app.schedule(new Described(described), 900 - i, TimeUnit.MINUTES);
        }
        other.schedule(() -> { }, 1, TimeUnit.SECONDS);
        app.schedule(() -> { }, 2, TimeUnit.HOURS).cancel();

        PendingTimers all = app.pending(null, 100);

        assertThat(described).hasValue(99); // the 100th is other's, due first
        assertThat(all.matching()).isEqualTo(901);
        assertThat(all.soonest()).hasSize(100);
        assertThat(all.soonest().get(0).owner()).isEqualTo("io.example.other");
        assertThat(all.soonest()).extracting(TimerInfo::remainingMillis).isSorted();
        assertThat(all.soonest().get(99).remainingMillis()) // the app's 99th, due in 99 minutes
                .isBetween(TimeUnit.MINUTES.toMillis(98), TimeUnit.MINUTES.toMillis(99));

        PendingTimers owned = app.pending("io.example.other", 100);
        assertThat(owned.matching()).isEqualTo(1);
        assertThat(owned.soonest()).extracting(TimerInfo::owner).containsExactly("io.example.other");
        assertThat(app.pending("io.example.none", 100)).isEqualTo(new PendingTimers(List.of(), 0));
    }

    @Test
    void aListingOfNoTimerIsRefused() {
        assertThatThrownBy(() -> app.pending(null, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be at least 1, was 0");
    }

    private record Described(AtomicInteger count) implements Runnable {

        @Override
        public void run() {
        }

        @Override
        public String toString() {
            return "described " + count.incrementAndGet();
        }
    }

    @Test
    void statsSeparateOwnersAndAddUp() {
        CountDownLatch ran = new CountDownLatch(2);
        app.schedule(ran::countDown, 1, TimeUnit.MILLISECONDS);
        other.schedule(ran::countDown, 1, TimeUnit.MILLISECONDS);
        other.schedule(() -> { }, 1, TimeUnit.HOURS).cancel();

        await().atMost(PATIENCE).until(() -> app.stats().fired() == 2 && app.stats().cancelled() == 1);
        assertThat(app.ownStats().fired()).isEqualTo(1);
        assertThat(other.ownStats().cancelled()).isEqualTo(1);
        assertThat(app.stats().pending()).isZero();
    }

    @Test
    void statsByOwnerGivesEachOwnersFigures() {
        app.schedule(() -> { }, 1, TimeUnit.HOURS);
        app.schedule(() -> { }, 2, TimeUnit.HOURS);
        other.schedule(() -> { }, 1, TimeUnit.HOURS).cancel();

        await().atMost(PATIENCE).until(() -> app.stats().pending() == 2 && app.stats().cancelled() == 1);
        assertThat(other.statsByOwner()).containsOnlyKeys("io.example.app", "io.example.other");
        assertThat(other.statsByOwner().get("io.example.app").pending()).isEqualTo(2);
        assertThat(other.statsByOwner().get("io.example.other").cancelled()).isEqualTo(1);
        assertThat(other.statsByOwner().get("io.example.other").pending()).isZero();
    }

    @Test
    void aNewTickKeepsPendingTimers() {
        CountDownLatch fired = new CountDownLatch(1);
        app.schedule(fired::countDown, 300, TimeUnit.MILLISECONDS);
        app.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);

        timers.reconfigure(new WheelSettings(3, 16, 1000));

        await().atMost(PATIENCE).until(() -> fired.getCount() == 0);
        assertThat(events.reconfigurations).containsExactly(new WheelSettings(3, 16, 1000));
        assertThat(app.pending()).hasSize(1);
    }

    @Test
    void aCancelledTimerFreesItsPlaceAtOnce() throws InterruptedException {
        Timers slow = new Timers(new WheelSettings(1000, 16, 3), System::nanoTime, events);
        try {
            OwnerTimerService busy = new OwnerTimerService(slow, "io.example.busy");
            Timeout first = busy.schedule(() -> { }, 1, TimeUnit.HOURS);
            busy.schedule(() -> { }, 1, TimeUnit.HOURS);
            busy.schedule(() -> { }, 1, TimeUnit.HOURS);
            first.cancel();

            busy.schedule(() -> { }, 1, TimeUnit.HOURS);

            assertThatThrownBy(() -> busy.schedule(() -> { }, 1, TimeUnit.HOURS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("io.example.busy")
                    .hasMessageContaining("maxPending");
            await().atMost(PATIENCE).until(() -> busy.ownStats().pending() == 3);
        } finally {
            slow.stop(5000);
        }
    }

    /** The whole loop on the real thread and clock: a task blocks it, another thread schedules and cancels. */
    @Test
    void aTaskBlockingTheTimerThreadBoundsTheTimersCancelledMeanwhile() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        other.schedule(() -> {
            started.countDown();
            awaitQuietly(released);
        }, 1, TimeUnit.MILLISECONDS);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(1100); // past the hold the bound waits for

        int accepted = 0;
        Throwable refusal = null;
        while (refusal == null && accepted < 100_000) {
            refusal = catchThrowable(() -> app.schedule(() -> { }, 1, TimeUnit.HOURS).cancel());
            accepted += refusal == null ? 1 : 0;
        }
        released.countDown();

        assertThat(refusal).as("refused after %d", accepted).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("held the timer thread");
        // maxPending here is 1000; the blocking task's own timer leaves the count only after it returns.
        assertThat(accepted).isEqualTo(999);
        int cancelled = accepted;
        await().atMost(PATIENCE).until(() -> app.ownStats().cancelled() == cancelled);
        app.schedule(() -> { }, 1, TimeUnit.HOURS).cancel();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> app.schedule(null, 1, TimeUnit.SECONDS)).isInstanceOf(NullPointerException.class)
                .hasMessage("task");
        assertThatThrownBy(() -> app.schedule(() -> { }, 1, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("unit");
        assertThatThrownBy(() -> app.schedule(() -> { }, -1, TimeUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delay");
        assertThatThrownBy(() -> app.scheduleAtFixedRate(() -> { }, -1, 1, TimeUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> app.scheduleAtFixedRate(() -> { }, 0, 0, TimeUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("period");
        assertThatThrownBy(() -> app.scheduleAtFixedRate(null, 0, 1, TimeUnit.SECONDS))
                .isInstanceOf(NullPointerException.class).hasMessage("task");
        assertThatThrownBy(() -> app.scheduleAtFixedRate(() -> { }, 0, 1, null))
                .isInstanceOf(NullPointerException.class).hasMessage("unit");
        assertThat(app.ownStats().pending()).isZero();
    }

    @Test
    void aStoppedTimerServiceRefusesNewTimers() throws InterruptedException {
        TimerService service = app;
        assertThat(timers.stop(5000)).isTrue();

        assertThatThrownBy(() -> service.schedule(() -> { }, 1, TimeUnit.SECONDS))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new OwnerTimerService(timers, "late").schedule(() -> { }, 1, TimeUnit.SECONDS))
                .isInstanceOf(IllegalStateException.class);
    }
}
