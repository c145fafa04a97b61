package io.msf.event.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.event.api.BundleUsage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

class AccountedThreadFactoryTest {

    private final BundleAccounts accounts = new BundleAccounts();

    @Test
    void aThreadThatIsNeverStartedLeavesNoLiveThreadAndNoAccount() {
        BundleAccount account = accounts.hold(bundle(21, "com.example.gone"));
        // What ThreadPoolExecutor does when shutdownNow() races execute(): creates a worker, never starts it.
        Thread neverStarted = new AccountedThreadFactory(accounts, account, "pool").newThread(() -> { });

        assertThat(accounts.usage()).extracting(BundleUsage::liveThreads).containsExactly(0);
        accounts.release(account);

        assertThat(neverStarted.getState()).isEqualTo(Thread.State.NEW);
        assertThat(accounts.usage()).isEmpty();
    }

    @Test
    void aThreadStartedAfterItsAccountWentIsAccountedAgainUntilItEnds() throws Exception {
        BundleAccount account = accounts.hold(bundle(22, "com.example.late"));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread late = new AccountedThreadFactory(accounts, account, "pool").newThread(() -> {
            running.countDown();
            awaitQuietly(finish);
        });
        accounts.release(account);
        assertThat(accounts.usage()).isEmpty();

        late.start();
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(accounts.usage()).extracting(BundleUsage::bundleId, BundleUsage::liveThreads)
                .containsExactly(Tuple.tuple(22L, 1));

        finish.countDown();
        late.join(TimeUnit.SECONDS.toMillis(5));
        assertThat(late.isAlive()).isFalse();
        assertThat(accounts.usage()).isEmpty();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Bundle bundle(long id, String name) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getSymbolicName()).thenReturn(name);
        return bundle;
    }
}
