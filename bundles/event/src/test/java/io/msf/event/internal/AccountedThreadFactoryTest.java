package io.msf.event.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.concurrent.testing.OwnLoader;
import io.msf.event.api.BundleUsage;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

/**
 * A bundle's executor makes its threads on the thread of whoever gives it a task, another bundle's
 * maybe; they live until the executor is shut down and must keep nothing of that thread.
 */
class AccountedThreadFactoryTest {

    /** A value the threads a caller makes inherit, as a logging library's context is. */
    private static final InheritableThreadLocal<Object> INHERITED = new InheritableThreadLocal<>();

    private final BundleAccounts accounts = new BundleAccounts();
    /** Of other accounts than those the tests of accounting look at. */
    private final BundleAccounts pools = new BundleAccounts();
    private final AccountedThreadFactory factory = new AccountedThreadFactory(pools,
            pools.hold(bundle(23, "com.example.pools")), "pool");
    private final CountDownLatch finish = new CountDownLatch(1);

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

    @Test
    void anExecutorThreadHasNoContextClassLoaderOfTheThreadThatMadeIt() throws Exception {
        Thread maker = Thread.currentThread();
        ClassLoader own = maker.getContextClassLoader();
        CompletableFuture<ClassLoader> seen = new CompletableFuture<>();
        Thread made;
        maker.setContextClassLoader(new ClassLoader(null) { });
        try {
            made = factory.newThread(() -> seen.complete(Thread.currentThread().getContextClassLoader()));
        } finally {
            maker.setContextClassLoader(own);
        }
        made.start();

        assertThat(seen.get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void anExecutorThreadInheritsNoInheritableThreadLocalOfTheThreadThatMadeIt() throws Exception {
        CompletableFuture<Object> seen = new CompletableFuture<>();
        Thread made;
        INHERITED.set("a value of the maker's");
        try {
            made = factory.newThread(() -> seen.complete(INHERITED.get()));
        } finally {
            INHERITED.remove();
        }
        made.start();

        assertThat(seen.get(5, TimeUnit.SECONDS)).isNull();
    }

    /** On Java 17 a thread keeps the protection domains of the classes on its maker's stack, each with its loader. */
    @Test
    void anExecutorThreadKeepsNoLoaderOfAClassThatMadeIt() throws Exception {
        Thread[] made = new Thread[1];
        WeakReference<ClassLoader> gone = madeFromALoaderOfItsOwn(made);
        made[0].start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                System.gc();
                return gone.get() == null;
            });
            assertThat(made[0].isAlive()).isTrue();
        } finally {
            finish.countDown();
        }
        made[0].join(TimeUnit.SECONDS.toMillis(5));
    }

    private WeakReference<ClassLoader> madeFromALoaderOfItsOwn(Thread[] made) throws Exception {
        OwnLoader loader = new OwnLoader();
        made[0] = (Thread) loader.frame().apply(() -> factory.newThread(() -> awaitQuietly(finish)));
        return new WeakReference<>(loader);
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
