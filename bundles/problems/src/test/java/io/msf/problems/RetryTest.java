package io.msf.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RetryTest {

    /** A value the threads a caller makes inherit, as a logging library's context is. */
    private static final InheritableThreadLocal<Object> INHERITED = new InheritableThreadLocal<>();

    /** Keeps what is scheduled, to be run by the test; cancelling takes it off. */
    private final List<Runnable> due = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private final List<String> unscheduled = new ArrayList<>();
    private final List<String> threw = new ArrayList<>();
    private int attempts;
    private boolean stillWanted = true;
    private final Retry retry = new Retry("test.owner", (task, delayMillis) -> {
        due.add(task);
        delays.add(delayMillis);
        return () -> due.remove(task);
    }, () -> {
        attempts++;
        return stillWanted;
    }, unscheduled::add, this::threw);

    private void threw(Throwable problem, String followed) {
        threw.add(problem + "; " + followed);
    }

    private void runDue() {
        List<Runnable> now = List.copyOf(due);
        due.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void waitsDoubleFromOneSecondToThirtyWhileStillWanted() {
        retry.restart(true);
        for (int i = 0; i < 7; i++) {
            runDue();
        }
        assertThat(delays).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
        assertThat(attempts).isEqualTo(7);
    }

    @Test
    void stopsOnceNothingIsWanted() {
        retry.restart(true);
        runDue();
        stillWanted = false;
        runDue();
        assertThat(attempts).isEqualTo(2);
        assertThat(due).isEmpty();
    }

    @Test
    void aRestartStartsFromTheFirstDelayAndTheEarlierRoundEnds() {
        retry.restart(true);
        runDue();
        runDue();
        Runnable earlier = due.get(0);
        retry.restart(true);
        assertThat(due).hasSize(1).doesNotContain(earlier);
        earlier.run(); // had it fired already: it tries nothing
        assertThat(attempts).isEqualTo(2);
        assertThat(delays.get(delays.size() - 1)).isEqualTo(1_000L);
    }

    @Test
    void nothingIsScheduledWhenNotNeededOrOnceClosed() {
        retry.restart(false);
        assertThat(due).isEmpty();
        retry.restart(true);
        Runnable pending = due.get(0);
        retry.close();
        assertThat(due).isEmpty();
        pending.run();
        retry.restart(true);
        assertThat(attempts).isZero();
        assertThat(due).isEmpty();
    }

    /**
     * An attempt that threw ended the attempts for good, and unseen on an executor (its exception kept in a
     * future no one reads): the port freed later was never bound. It is told, and counts as a failed attempt.
     */
    @Test
    void anAttemptThatThrowsIsToldAndTriedAgainAsAFailedOne() {
        AtomicInteger tried = new AtomicInteger();
        Retry faulty = new Retry("test.owner", (task, delayMillis) -> {
            due.add(task);
            delays.add(delayMillis);
            return () -> due.remove(task);
        }, () -> {
            if (tried.incrementAndGet() == 1) {
                throw new IllegalArgumentException("a fault of the attempt's");
            }
            return true;
        }, unscheduled::add, this::threw);
        faulty.restart(true);

        runDue();
        runDue();

        assertThat(threw).containsExactly("java.lang.IllegalArgumentException: a fault of the attempt's; the next"
                + " attempt follows as after a failed one");
        assertThat(tried).hasValue(2);
        assertThat(delays).containsExactly(1_000L, 2_000L, 4_000L);
        assertThat(unscheduled).isEmpty();
    }

    /** An Error (a class gone with an updated bundle) is told, and ends the attempts: the next would meet it. */
    @Test
    void anAttemptThatThrowsAnErrorIsToldAndEndsTheAttempts() {
        Retry broken = new Retry("test.owner", (task, delayMillis) -> {
            due.add(task);
            return () -> due.remove(task);
        }, () -> {
            attempts++;
            throw new NoClassDefFoundError("io/msf/Gone");
        }, unscheduled::add, this::threw);
        broken.restart(true);

        assertThatThrownBy(this::runDue).isInstanceOf(NoClassDefFoundError.class);

        assertThat(threw).containsExactly("java.lang.NoClassDefFoundError: io/msf/Gone; no attempt follows");
        assertThat(due).isEmpty();
        assertThat(attempts).isEqualTo(1);
    }

    /** The owner is stopping: nothing more is tried, and the log is told so. */
    @Test
    void aClosedSchedulerEndsTheAttempts() {
        Retry refused = new Retry("test.owner", (task, delayMillis) -> {
            throw new Retry.SchedulerClosedException("timer stopped", null);
        }, () -> {
            attempts++;
            return true;
        }, unscheduled::add, this::threw);
        refused.restart(true);
        assertThat(unscheduled).containsExactly("timer stopped; no attempt follows");
        assertThat(attempts).isZero();
    }

    /**
     * A timer at its maxPending refuses for now: that ended the attempts for good, and a listener whose port
     * was taken was never tried again. The attempt runs on the retry's own thread, and the next is asked of
     * the scheduler again.
     */
    @Test
    void aSchedulerThatRefusesForNowHasTheAttemptRunElsewhereAndIsAskedAgainAfter() throws InterruptedException {
        AtomicInteger asked = new AtomicInteger();
        CountDownLatch askedAgain = new CountDownLatch(1);
        CountDownLatch attempted = new CountDownLatch(1);
        AtomicReference<String> attemptThread = new AtomicReference<>();
        Retry full = new Retry("test.owner", (task, delayMillis) -> {
            if (asked.getAndIncrement() == 0) {
                throw new IllegalStateException("maxPending 10 reached");
            }
            askedAgain.countDown();
            return () -> { };
        }, () -> {
            attemptThread.set(Thread.currentThread().getName());
            attempted.countDown();
            return true;
        }, unscheduled::add, this::threw);
        try {
            full.restart(true);

            assertThat(attempted.await(10, TimeUnit.SECONDS)).as("the refused attempt runs all the same").isTrue();
            assertThat(attemptThread.get()).isEqualTo("msf-retry-test.owner");
            assertThat(askedAgain.await(10, TimeUnit.SECONDS)).as("the next asked of the scheduler").isTrue();
            assertThat(unscheduled).containsExactly("maxPending 10 reached; the attempt runs on msf-retry-test.owner"
                    + " instead, in 1000 ms, and the next is asked of the scheduler again");
        } finally {
            full.close();
        }
    }

    /** On an executor: the attempt runs there, and once the executor is shut down its refusal ends the attempts. */
    @Test
    void onAnExecutorItsShutdownIsARefusalForGood() throws Exception {
        ScheduledThreadPoolExecutor executor = Retry.retryThread("msf-retry-test");
        Retry.Scheduler scheduler = Retry.on(executor, "the owner is stopping");
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<String> on = new AtomicReference<>();

        scheduler.schedule(() -> {
            on.set(Thread.currentThread().getName());
            ran.countDown();
        }, 1);

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(on).hasValue("msf-retry-test");
        executor.shutdown();
        assertThatThrownBy(() -> scheduler.schedule(() -> { }, 1))
                .isInstanceOf(Retry.SchedulerClosedException.class).hasMessageStartingWith("the owner is stopping (");
    }

    /**
     * A retry thread is made on whichever thread first schedules an attempt (SCR's, activating an endpoint
     * on the thread of a bundle that registered a service; Config Admin's) and lives while the attempts go
     * on, for as long as another process holds the port: it must keep nothing of that thread, whose
     * bundle's class loader would otherwise stay in memory after the bundle is updated or uninstalled.
     */
    @Test
    void aRetryThreadKeepsNeitherTheContextClassLoaderNorTheInheritedValuesOfTheThreadThatMadeIt()
            throws Exception {
        ScheduledThreadPoolExecutor executor = Retry.retryThread("msf-retry-test");
        Thread maker = Thread.currentThread();
        ClassLoader own = maker.getContextClassLoader();
        ScheduledFuture<List<Object>> seen;
        maker.setContextClassLoader(new ClassLoader(null) { });
        INHERITED.set("a value of the maker's");
        try {
            // the executor makes its thread here, on the caller's, for the first task
            seen = executor.schedule(() -> Arrays.asList(Thread.currentThread().getContextClassLoader(),
                    INHERITED.get()), 1, TimeUnit.MILLISECONDS);
        } finally {
            maker.setContextClassLoader(own);
            INHERITED.remove();
        }
        try {
            assertThat(seen.get(10, TimeUnit.SECONDS)).containsExactly(null, null);
        } finally {
            executor.shutdownNow();
        }
    }
}
