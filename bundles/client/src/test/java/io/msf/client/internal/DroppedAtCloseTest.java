package io.msf.client.internal;

import static org.awaitility.Awaitility.await;

import io.msf.client.api.ConnectedClient;
import io.msf.mempool.testing.NoLeaks;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the application's executor dropped silently shortly before the client closed, sooner than
 * the watch would have noticed it, is given back all the same: the buffers of the messages it held
 * are released (checked by {@link NoLeaks} for this class, which holds this test alone).
 */
class DroppedAtCloseTest extends ClientTestBase {

    private final CountDownLatch release = new CountDownLatch(1);

    @Test
    void aPublicationAnExecutorDroppedSilentlyJustBeforeCloseIsReleased() {
        AtomicInteger discarded = new AtomicInteger();
        // DiscardPolicy, counting: one thread, no queue, and what finds that thread busy is dropped without a word
        ThreadPoolExecutor discarding = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), (task, pool) -> discarded.incrementAndGet());
        try {
            ConnectedClient subscriber = connect(options().name("sub").executor(discarding));
            subscriber.subscribe("t", message -> { });
            discarding.execute(this::awaitRelease);

            subscriber.publish("t", 1, text("dropped"));
            await().until(() -> discarded.get() == 1);
            subscriber.close(); // long before three heartbeats of 5 s
        } finally {
            release.countDown();
            discarding.shutdown();
        }
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
