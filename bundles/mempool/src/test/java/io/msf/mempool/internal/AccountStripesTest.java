package io.msf.mempool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.mempool.api.PoolUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How an account's counters are striped by thread, and what becomes of an ended thread's stripe. */
@Timeout(30)
class AccountStripesTest {

    private final Account account = new Account("test.owner", 7, 0);
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
    void readingTheFiguresFreesTheStripesOfEndedThreadsAndTheFiguresDoNotMove() throws InterruptedException {
        holdEveryOwnedStripe(); // each charges 100 bytes and waits
        assertThat(account.freeStripes()).isZero();
        assertThat(account.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers)
                .containsExactly(800L, 8L);
        assertThat(account.freeStripes()).as("live threads keep their stripes").isZero();

        endHolders();
        PoolUsage usage = account.usage();

        assertThat(account.freeStripes()).isEqualTo(Account.OWNED_STRIPES);
        assertThat(usage).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers, PoolUsage::allocations,
                PoolUsage::peakBytes).containsExactly(800L, 8L, 8L, 800L);
        assertThat(usage.allocationsBySizeClass()).containsEntry("<=128B", 8L);

        for (int i = 0; i < Account.OWNED_STRIPES; i++) { // buffers released elsewhere, as they may be
            account.credit(100);
        }
        assertThat(account.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers)
                .containsExactly(0L, 0L);
    }

    @Test
    void aThreadThatOnlyReleasedLeavesNegativeCountsThatStillAddUpWhenItsStripeIsFreed() throws InterruptedException {
        account.limit(1000);
        account.charge(600); // allocated here, released on a thread that then ends
        Thread releaser = new Thread(() -> account.credit(600));
        releaser.start();
        releaser.join();
        PoolUsage before = account.usage(); // frees the releaser's stripe

        assertThat(account.freeStripes()).isEqualTo(Account.OWNED_STRIPES - 1);
        assertThat(before).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers, PoolUsage::peakBytes)
                .containsExactly(0L, 0L, 600L);
        account.charge(1000); // the whole limit: nothing of the freed stripe's counts is lost
        assertThat(account.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::peakBytes, PoolUsage::refusals)
                .containsExactly(1000L, 1000L, 0L);
    }

    @Test
    void aLiveThreadKeepsItsOwnStripeRatherThanTakeOneFreedBeforeIt() throws Exception {
        Thread first = new Thread(() -> account.charge(10)); // claims stripe 0, then ends
        first.start();
        first.join();
        ExecutorService live = Executors.newSingleThreadExecutor();
        try {
            live.submit(() -> account.charge(10)).get(); // claims stripe 1
            assertThat(account.retireEnded()).isEqualTo(1);

            live.submit(() -> account.charge(10)).get();

            assertThat(account.freeStripes()).as("stripe 0 left for the next thread")
                    .isEqualTo(Account.OWNED_STRIPES - 1);
            assertThat(account.usage().bytesInUse()).isEqualTo(30);
        } finally {
            live.shutdown();
        }
    }

    @Test
    void aThreadLeftOnTheSharedStripeTakesAStripeFreedByAnEndedThread() throws InterruptedException {
        holdEveryOwnedStripe();
        for (int i = 0; i < 3_000; i++) { // the test thread is on the shared stripe: owners are alive
            account.charge(10);
            account.credit(10);
        }
        assertThat(account.freeStripes()).as("no live thread's stripe taken").isZero();

        endHolders();
        for (int i = 0; i < 3_000; i++) { // within 1024 visits it looks for ended threads' stripes
            account.charge(10);
            account.credit(10);
        }

        assertThat(account.freeStripes()).isEqualTo(Account.OWNED_STRIPES - 1);
        assertThat(account.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers,
                PoolUsage::allocations).containsExactly(800L, 8L, 6_008L);
    }

    /** Starts a thread per owned stripe that charges one 100-byte buffer and waits for {@link #release}. */
    private void holdEveryOwnedStripe() throws InterruptedException {
        CountDownLatch charged = new CountDownLatch(Account.OWNED_STRIPES);
        for (int i = 0; i < Account.OWNED_STRIPES; i++) {
            Thread holder = new Thread(() -> {
                account.charge(100);
                charged.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            holders.add(holder);
            holder.start();
        }
        charged.await();
    }

    private void endHolders() throws InterruptedException {
        release.countDown();
        for (Thread holder : holders) {
            holder.join();
        }
    }
}
