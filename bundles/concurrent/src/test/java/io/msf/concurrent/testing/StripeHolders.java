package io.msf.concurrent.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * For tests of striped counters: threads that each run an action (and so take a stripe), then stay
 * alive, holding it, until {@link #end}. Shipped in this module's test-jar.
 */
public final class StripeHolders {

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    /**
     * Starts {@code count} threads that each run {@code action} and wait; returns once all have run
     * it, rethrowing what an action threw.
     */
    public StripeHolders start(int count, Runnable action) throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(count);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    ran.countDown();
                }
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.setDaemon(true); // a test that fails before end() leaves no thread behind
            threads.add(thread);
            thread.start();
        }
        ran.await();
        if (failure.get() != null) {
            throw failure.get();
        }
        return this;
    }

    /** Lets every thread end and waits until they have. */
    public void end() throws InterruptedException {
        release.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
