package io.msf.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.concurrent.testing.StripeHolders;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StripedCountersTest {

    private final StripedCounters stripes = new StripedCounters(1);
    private final StripeHolders holders = new StripeHolders();
    private final Set<Integer> heldStripes = ConcurrentHashMap.newKeySet();

    @AfterEach
    void endHolders() throws InterruptedException {
        holders.end();
    }

    @Test
    void eachOfTheFirstThreadsOwnsAStripeOfItsOwnAndFurtherThreadsShare() throws InterruptedException {
        assertThat(stripes.inUse()).isZero();

        holdEveryOwnedStripe();

        assertThat(heldStripes).hasSize(StripedCounters.OWNED).allMatch(s -> s >= 0 && s < StripedCounters.OWNED);
        assertThat(stripes.inUse()).isEqualTo(StripedCounters.OWNED);
        assertThat(stripes.stripe()).isEqualTo(StripedCounters.SHARED);
        assertThat(stripes.free()).isZero();
    }

    @Test
    void eachCounterSumsItsOwnSlotsInEveryStripeWithoutTouchingItsNeighbours() throws InterruptedException {
        StripedCounters many = new StripedCounters(34); // more than one 16-long line pair a stripe
        StripeHolders owners = new StripeHolders().start(StripedCounters.OWNED, () -> {
            int stripe = many.stripe();
            for (int counter = 0; counter < 34; counter++) {
                many.add(stripe, counter, counter + 1);
            }
        });
        try {
            int shared = many.stripe();
            assertThat(shared).isEqualTo(StripedCounters.SHARED);
            many.add(shared, 33, 1_000);
            many.add(shared, 0, -1);

            for (int counter = 0; counter < 34; counter++) {
                long expected = StripedCounters.OWNED * (counter + 1L) + (counter == 33 ? 1_000 : 0)
                        - (counter == 0 ? 1 : 0);
                assertThat(many.sum(counter)).as("counter %d", counter).isEqualTo(expected);
            }
        } finally {
            owners.end();
        }
    }

    @Test
    void aCounterlessInstanceIsRefused() {
        assertThatThrownBy(() -> new StripedCounters(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("counters must be positive");
    }

    @Test
    void aThreadGetsTheSameStripeEveryTime() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            int mine = stripes.stripe();
            int theirs = other.submit(stripes::stripe).get();
            assertThat(theirs).isNotEqualTo(mine);
            for (int i = 0; i < 100; i++) {
                assertThat(stripes.stripe()).isEqualTo(mine);
                assertThat(other.submit(stripes::stripe).get()).isEqualTo(theirs);
            }
        } finally {
            other.shutdown();
        }
    }

    @Test
    void onlyTheStripesOfEndedThreadsAreFreedAndEachOnce() throws InterruptedException {
        holdEveryOwnedStripe();
        assertThat(stripes.retireEnded()).as("every owner alive").isZero();

        holders.end();

        assertThat(stripes.retireEnded()).isEqualTo(StripedCounters.OWNED);
        assertThat(stripes.retireEnded()).isZero();
        assertThat(stripes.free()).isEqualTo(StripedCounters.OWNED);
        assertThat(stripes.inUse()).as("freed stripes still hold counts: sums keep reading them")
                .isEqualTo(StripedCounters.OWNED);
        assertThat(stripes.stripe()).isBetween(0, StripedCounters.OWNED - 1);
        assertThat(stripes.free()).isEqualTo(StripedCounters.OWNED - 1);
    }

    @Test
    void aLiveThreadKeepsItsOwnStripeRatherThanTakeOneFreedBeforeIt() throws Exception {
        Thread first = new Thread(stripes::stripe); // stripe 0, then ends
        first.start();
        first.join();
        ExecutorService live = Executors.newSingleThreadExecutor();
        try {
            int own = live.submit(stripes::stripe).get();
            assertThat(own).isEqualTo(1);
            assertThat(stripes.retireEnded()).isEqualTo(1);

            assertThat(live.submit(stripes::stripe).get()).isEqualTo(own);
            assertThat(stripes.free()).as("stripe 0 left for the next thread").isEqualTo(StripedCounters.OWNED - 1);
        } finally {
            live.shutdown();
        }
    }

    @Test
    void aThreadLeftOnTheSharedStripeSoonTakesAStripeFreedByAnEndedThread() throws InterruptedException {
        holdEveryOwnedStripe();
        for (int i = 0; i < 10_000; i++) {
            assertThat(stripes.stripe()).isEqualTo(StripedCounters.SHARED);
        }

        holders.end();
        int calls = 0;
        // A look about once in 1024 calls: 50,000 calls without one has a chance of 1 in 10^21.
        while (calls < 50_000 && stripes.stripe() == StripedCounters.SHARED) {
            calls++;
        }

        assertThat(calls).isLessThan(50_000);
        assertThat(stripes.free()).isEqualTo(StripedCounters.OWNED - 1);
    }

    @Test
    void twoThreadsRetiringAtOnceFreeEachStripeOnceEveryTime() throws InterruptedException {
        for (int round = 0; round < 200; round++) {
            StripedCounters fresh = new StripedCounters(1);
            StripeHolders ended = new StripeHolders().start(StripedCounters.OWNED, fresh::stripe);
            ended.end();
            AtomicInteger freed = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> retirers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                retirers.add(new Thread(() -> {
                    awaitQuietly(go);
                    freed.addAndGet(fresh.retireEnded());
                }));
            }
            retirers.forEach(Thread::start);
            go.countDown();
            for (Thread retirer : retirers) {
                retirer.join();
            }
            assertThat(freed).as("round %d", round).hasValue(StripedCounters.OWNED);
        }
    }

    private void holdEveryOwnedStripe() throws InterruptedException {
        holders.start(StripedCounters.OWNED, () -> heldStripes.add(stripes.stripe()));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
