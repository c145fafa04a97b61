package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One client shared by many threads: every answer reaches the call it belongs to. */
class ConcurrencyTest extends ClientTestBase {

    private static final int THREADS = 6;
    private static final int CALLS = 50;

    @Test
    void manyThreadsRequestSubscribeAndPublishAtOnce() throws Exception {
        // Room for every publication: this test is about correctness, not the overload bound.
        ConnectedClient client = connect(options().name("busy").maxQueuedMessages(2 * THREADS * CALLS).handler(message ->
                CompletableFuture.completedFuture(text("handled " + FakeAgent.text(message.payload())))));
        AtomicInteger published = new AtomicInteger();
        client.subscribe("load.>", message -> published.incrementAndGet());
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(threads.submit(() -> work(client, thread)));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdown();
        }
        await().untilAsserted(() -> assertThat(published).hasValue(THREADS * CALLS));
    }

    private void work(ConnectedClient client, int thread) {
        for (int i = 0; i < CALLS; i++) {
            String key = thread + "/" + i;
            Address to = i % 2 == 0 ? Address.name(FakeAgent.ECHO) : Address.name("busy");
            String expected = i % 2 == 0 ? key : "handled " + key;
            if (i % 3 == 0) {
                assertThat(textOf(client.requestAsync(to, i, text(key), SECONDS_5).toCompletableFuture().join()))
                        .isEqualTo(expected);
            } else {
                assertThat(textOf(client.request(to, i, text(key), SECONDS_5))).isEqualTo(expected);
            }
            client.publish("load." + thread, i, text(key));
            if (i % 20 == 0) {
                Subscription churn = client.subscribe("churn." + thread, message -> { });
                churn.close();
            }
        }
    }
}
