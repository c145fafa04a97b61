package io.msf.mempool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.concurrent.StripedCounters;
import io.msf.concurrent.testing.StripeHolders;
import io.msf.mempool.api.PoolUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What becomes of the counts an ended thread leaves in an account's stripe (see StripedCounters). */
@Timeout(30)
class AccountStripesTest {

    private final Account account = new Account("test.owner", 7, 0);
    private final StripeHolders holders = new StripeHolders();

    @AfterEach
    void endHolders() throws InterruptedException {
        holders.end();
    }

    /** Charges a buffer as the allocator does once the pool gave it: the peak goes up with it. */
    private void allocate(int bytes) {
        account.raisePeak(account.charge(bytes));
    }

    @Test
    void readingTheFiguresFreesTheStripesOfEndedThreadsAndTheFiguresDoNotMove() throws InterruptedException {
        holders.start(StripedCounters.OWNED, () -> allocate(100)); // each then waits
        assertThat(account.freeStripes()).isZero();
        assertThat(account.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers)
                .containsExactly(800L, 8L);
        assertThat(account.freeStripes()).as("live threads keep their stripes").isZero();

        holders.end();
        PoolUsage usage = account.usage();

        assertThat(account.freeStripes()).isEqualTo(StripedCounters.OWNED);
        assertThat(usage).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers, PoolUsage::allocations,
                PoolUsage::peakBytes).containsExactly(800L, 8L, 8L, 800L);
        assertThat(usage.allocationsBySizeClass()).containsEntry("<=128B", 8L);

        for (int i = 0; i < StripedCounters.OWNED; i++) { // buffers released elsewhere, as they may be
            account.credit(100);
        }
        assertThat(account.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers)
                .containsExactly(0L, 0L);
    }

    @Test
    void aThreadThatOnlyReleasedLeavesNegativeCountsThatStillAddUpWhenItsStripeIsFreed() throws InterruptedException {
        account.limit(1000);
        allocate(600); // allocated here, released on a thread that then ends
        Thread releaser = new Thread(() -> account.credit(600));
        releaser.start();
        releaser.join();
        PoolUsage before = account.usage(); // frees the releaser's stripe

        assertThat(account.freeStripes()).isEqualTo(StripedCounters.OWNED - 1);
        assertThat(before).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers, PoolUsage::peakBytes)
                .containsExactly(0L, 0L, 600L);
        allocate(1000); // the whole limit: nothing of the freed stripe's counts is lost
        assertThat(account.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::peakBytes, PoolUsage::refusals)
                .containsExactly(1000L, 1000L, 0L);
    }

    @Test
    void aThreadMovingFromTheSharedStripeToAFreedOneKeepsTheFiguresExact() throws InterruptedException {
        holders.start(StripedCounters.OWNED, () -> allocate(100));
        for (int i = 0; i < 3_000; i++) { // on the shared stripe: every owner is alive
            allocate(10);
            account.credit(10);
        }
        assertThat(account.freeStripes()).isZero();

        holders.end();
        int looking = 0;
        while (looking < 50_000 && account.freeStripes() == 0) { // until it frees them and takes one
            allocate(10);
            account.credit(10);
            looking++;
        }
        for (int i = 0; i < 5_000; i++) { // and counts on there
            allocate(10);
            account.credit(10);
        }

        assertThat(account.freeStripes()).isEqualTo(StripedCounters.OWNED - 1);
        assertThat(account.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers, PoolUsage::allocations)
                .containsExactly(800L, 8L, 8L + 3_000 + looking + 5_000);
    }
}
