package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A timer task that leaves its thread's interrupt flag set: it interrupted itself (restoring the flag after an
 * InterruptedException is the usual way), or it is a {@code FutureTask} cancelled with {@code cancel(true)} as it
 * ran. Left set, the flag made every park of the timer thread return at once, so that it spun at full speed, and
 * the next task that waited, another bundle's, got an InterruptedException it did not cause.
 */
class InterruptingTaskTest extends TwoBundlesOnRealTimers {

    @Test
    void aTaskThatInterruptsItsThreadLeavesTheTimerThreadAsleepWhenIdle() throws Exception {
        CompletableFuture<Thread> worker = new CompletableFuture<>();
        app.schedule(() -> {
            worker.complete(Thread.currentThread());
            Thread.currentThread().interrupt();
        }, 1, TimeUnit.MILLISECONDS);
        Thread thread = worker.get(10, TimeUnit.SECONDS);

        // Nothing pending: parked until woken (WAITING). With the flag left set, the park returned at once, for
        // ever: the thread stayed RUNNABLE.
        await().atMost(PATIENCE).until(() -> thread.getState() == Thread.State.WAITING);
        assertThat(thread.isInterrupted()).isFalse();
        assertThat(events.interruptingOwners).containsExactly("io.example.app");
    }

    @Test
    void aFutureTaskCancelledWithInterruptAsItRunsLeavesTheNextTaskOfAnotherBundleUninterrupted() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        FutureTask<Void> cancelledTask = new FutureTask<>(() -> {
            running.countDown();
            while (cancelled.getCount() != 0) { // work that does not look at the flag, as most does not
                Thread.onSpinWait();
            }
            return null;
        });
        app.schedule(cancelledTask, 1, TimeUnit.MILLISECONDS);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        cancelledTask.cancel(true); // FutureTask interrupts the thread that runs it, the timer thread
        cancelled.countDown();

        CompletableFuture<String> waited = new CompletableFuture<>();
        other.schedule(() -> {
            try {
                new CountDownLatch(1).await(1, TimeUnit.MILLISECONDS);
                waited.complete("waited");
            } catch (InterruptedException e) {
                waited.complete("interrupted");
            }
        }, 1, TimeUnit.MILLISECONDS);

        assertThat(waited).succeedsWithin(PATIENCE).isEqualTo("waited");
        assertThat(events.interruptingOwners).containsExactly("io.example.app");
    }

    @Test
    void aPeriodicTaskThatInterruptsItsThreadIsToldOfOncePerOwner() {
        AtomicLong runs = new AtomicLong();
        app.scheduleAtFixedRate(() -> {
            runs.incrementAndGet();
            Thread.currentThread().interrupt();
        }, 0, 1, TimeUnit.MILLISECONDS);

        await().atMost(PATIENCE).until(() -> runs.get() >= 5);
        OwnerTimerService restarted = new OwnerTimerService(timers, "io.example.app");
        app.close();
        CountDownLatch ranAgain = new CountDownLatch(1);
        restarted.schedule(() -> {
            ranAgain.countDown();
            Thread.currentThread().interrupt();
        }, 1, TimeUnit.MILLISECONDS);

        await().atMost(PATIENCE).until(() -> ranAgain.getCount() == 0 && events.interruptingOwners.size() == 2);
        assertThat(events.interruptingOwners).as("once per activation of the bundle")
                .containsExactly("io.example.app", "io.example.app");
    }
}
