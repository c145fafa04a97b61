package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.concurrent.StripedCounters;
import io.msf.concurrent.testing.StripeHolders;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PendingCountTest {

    private final PendingCount count = new PendingCount();
    private final StripeHolders holders = new StripeHolders();

    @AfterEach
    void endHolders() throws InterruptedException {
        holders.end();
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
    void aTimerCancelledBeforeTakenInFreesItsPlaceButCountsWhenTheBoundAsksForThoseToo() {
        count.tryAdd(2);
        count.tryAdd(2);
        count.cancelledBeforeTakenIn();

        assertThat(count.sum()).isEqualTo(1);
        assertThat(count.cancelledNotTakenIn()).isEqualTo(1);
        assertThat(count.tryAdd(2, true)).as("one pending and one cancelled, not taken in").isFalse();

        count.takenInCancelled(1);
        assertThat(count.cancelledNotTakenIn()).isZero();
        assertThat(count.tryAdd(2, true)).isTrue();
        assertThat(count.sum()).isEqualTo(2);
    }

    @Test
    void aThreadOnTheSharedStripeIsBoundToo() throws InterruptedException {
        holders.start(StripedCounters.OWNED, () -> count.tryAdd(Long.MAX_VALUE)); // 8 counted, the test thread left on the shared stripe

        assertThat(count.tryAdd(10)).isTrue();
        assertThat(count.tryAdd(10)).isTrue();
        assertThat(count.tryAdd(10)).isFalse();
        assertThat(count.sum()).isEqualTo(10);
        assertThat(count.retireEnded()).as("every owner is alive").isZero();
    }

    @Test
    void staysExactWhenMoreThreadsThanStripesAddOnOneAndSubtractOnAnother() throws InterruptedException {
        int threads = StripedCounters.OWNED * 2; // most of them on the shared, atomic stripe
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
        holders.start(StripedCounters.OWNED, () -> count.tryAdd(Long.MAX_VALUE));
        assertThat(count.freeStripes()).isZero();
        assertThat(count.retireEnded()).isZero();

        holders.end();
        assertThat(count.retireEnded()).isEqualTo(StripedCounters.OWNED);
        assertThat(count.freeStripes()).isEqualTo(StripedCounters.OWNED);
        assertThat(count.sum()).as("a freed stripe keeps its count").isEqualTo(StripedCounters.OWNED);
        assertThat(count.retireEnded()).as("freed once").isZero();

        // The next thread claims a freed stripe and carries on from its count.
        runOnNewThread(() -> {
            count.tryAdd(Long.MAX_VALUE);
            count.subtract(3);
        });
        assertThat(count.freeStripes()).isEqualTo(StripedCounters.OWNED - 1);
        assertThat(count.sum()).isEqualTo(StripedCounters.OWNED - 2);
        assertThat(count.retireEnded()).isEqualTo(1);
        assertThat(count.sum()).isEqualTo(StripedCounters.OWNED - 2);
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
    void staysExactWhileThreadsComeAndGoAndTheirStripesAreFreedAndTakenAgain() throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        Thread retirer = new Thread(() -> {
            while (!done.get()) {
                count.retireEnded();
            }
        });
        retirer.start();
        for (int wave = 0; wave < 20; wave++) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < StripedCounters.OWNED + 4; i++) { // more than there are stripes
                threads.add(new Thread(() -> {
                    for (int n = 0; n < 2_000; n++) {
                        count.tryAdd(Long.MAX_VALUE);
                    }
                    count.subtract(1_000);
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
        }
        done.set(true);
        retirer.join();

        assertThat(count.sum()).isEqualTo(20L * (StripedCounters.OWNED + 4) * 1_000);
        count.retireEnded();
        assertThat(count.freeStripes()).isEqualTo(StripedCounters.OWNED);
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
