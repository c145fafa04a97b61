package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PendingCountTest {

    private final PendingCount count = new PendingCount();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> holders = new ArrayList<>();

    @AfterEach
    void releaseHolders() throws InterruptedException {
        release.countDown();
        for (Thread holder : holders) {
            holder.join();
        }
    }

    @Test
    void addsUpToTheBoundAndNoFurther() {
        assertThat(count.tryAdd(2)).isTrue();
        assertThat(count.tryAdd(2)).isTrue();
        assertThat(count.tryAdd(2)).isFalse();
        assertThat(count.sum()).isEqualTo(2);

        count.subtract(1);
        assertThat(count.tryAdd(2)).isTrue();
        assertThat(count.sum()).isEqualTo(2);
    }

    @Test
    void aThreadOnTheSharedStripeIsBoundToo() throws InterruptedException {
        holdEveryOwnedStripe(); // 8 counted, the test thread left on the shared stripe

        assertThat(count.tryAdd(10)).isTrue();
        assertThat(count.tryAdd(10)).isTrue();
        assertThat(count.tryAdd(10)).isFalse();
        assertThat(count.sum()).isEqualTo(10);
        assertThat(count.retireEnded()).as("every owner is alive").isZero();
    }

    @Test
    void staysExactWhenMoreThreadsThanStripesAddOnOneAndSubtractOnAnother() throws InterruptedException {
        int threads = PendingCount.OWNED_STRIPES * 2; // most of them on the shared, atomic stripe
        int perThread = 50_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(new Thread(() -> repeat(go, perThread, () -> count.tryAdd(Long.MAX_VALUE))));
            workers.add(new Thread(() -> repeat(go, perThread / 2, () -> count.subtract(1))));
        }
        workers.forEach(Thread::start);
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        assertThat(count.sum()).isEqualTo((long) threads * (perThread - perThread / 2));
    }

    @Test
    void theStripesOfEndedThreadsAreFreedAndTheSumDoesNotMoveWhileLiveOnesAreLeftAlone() throws InterruptedException {
        holdEveryOwnedStripe();
        assertThat(count.freeStripes()).isZero();
        assertThat(count.retireEnded()).isZero();

        release.countDown();
        for (Thread holder : holders) {
            holder.join();
        }
        assertThat(count.retireEnded()).isEqualTo(PendingCount.OWNED_STRIPES);
        assertThat(count.freeStripes()).isEqualTo(PendingCount.OWNED_STRIPES);
        assertThat(count.sum()).as("a freed stripe keeps its count").isEqualTo(PendingCount.OWNED_STRIPES);
        assertThat(count.retireEnded()).as("freed once").isZero();

        // The next thread claims a freed stripe and carries on from its count.
        runOnNewThread(() -> {
            count.tryAdd(Long.MAX_VALUE);
            count.subtract(3);
        });
        assertThat(count.freeStripes()).isEqualTo(PendingCount.OWNED_STRIPES - 1);
        assertThat(count.sum()).isEqualTo(PendingCount.OWNED_STRIPES - 2);
        assertThat(count.retireEnded()).isEqualTo(1);
        assertThat(count.sum()).isEqualTo(PendingCount.OWNED_STRIPES - 2);
    }

    @Test
    void aThreadThatOnlyCancelledLeavesANegativeStripeThatStillAddsUpWhenFreed() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            count.tryAdd(Long.MAX_VALUE); // scheduled here, cancelled on another thread that then ends
        }
        runOnNewThread(() -> count.subtract(5));
        assertThat(count.sum()).isZero();

        assertThat(count.retireEnded()).isEqualTo(1);

        assertThat(count.sum()).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(count.tryAdd(3)).isTrue();
        }
        assertThat(count.tryAdd(3)).isFalse();
    }

    @Test
    void aLiveThreadKeepsItsOwnStripeRatherThanTakeOneFreedBeforeIt() throws Exception {
        runOnNewThread(() -> count.tryAdd(Long.MAX_VALUE)); // claims stripe 0, then ends
        ExecutorService live = Executors.newSingleThreadExecutor();
        try {
            live.submit(() -> count.tryAdd(Long.MAX_VALUE)).get(); // claims stripe 1
            assertThat(count.retireEnded()).isEqualTo(1);

            live.submit(() -> count.tryAdd(Long.MAX_VALUE)).get();

            assertThat(count.freeStripes()).as("stripe 0 left for the next thread")
                    .isEqualTo(PendingCount.OWNED_STRIPES - 1);
            assertThat(count.sum()).isEqualTo(3);
        } finally {
            live.shutdown();
        }
    }

    @Test
    void racingThreadsPassTheBoundByAtMostOneEach() throws InterruptedException {
        int threads = 4;
        long bound = 1_000;
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> racers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            racers.add(new Thread(() -> repeat(go, 10_000, () -> {
                if (count.tryAdd(bound)) {
                    admitted.incrementAndGet();
                }
            })));
        }
        racers.forEach(Thread::start);
        go.countDown();
        for (Thread racer : racers) {
            racer.join();
        }

        assertThat(count.sum()).isEqualTo(admitted.get()).isBetween(bound, bound + threads - 1);
    }

    /** Starts a thread per owned stripe that counts one timer and waits for {@link #release}. */
    private void holdEveryOwnedStripe() throws InterruptedException {
        CountDownLatch counted = new CountDownLatch(PendingCount.OWNED_STRIPES);
        for (int i = 0; i < PendingCount.OWNED_STRIPES; i++) {
            Thread holder = new Thread(() -> {
                count.tryAdd(Long.MAX_VALUE);
                counted.countDown();
                awaitQuietly(release);
            });
            holders.add(holder);
            holder.start();
        }
        counted.await();
    }

    private static void repeat(CountDownLatch go, int times, Runnable action) {
        awaitQuietly(go);
        for (int i = 0; i < times; i++) {
            action.run();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void runOnNewThread(Runnable action) throws InterruptedException {
        Thread thread = new Thread(action);
        thread.start();
        thread.join();
    }
}
