package io.msf.timer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class InboundQueueTest {

    private final InboundQueue queue = new InboundQueue();

    @Test
    void emptyQueueGivesNothing() {
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).isNull();
    }

    @Test
    void givesTimersBackInOrderAndEmptiesCleanly() {
        WheelTimer first = timer(0, 1);
        WheelTimer second = timer(0, 2);
        queue.offer(first);
        queue.offer(second);

        assertThat(queue.isEmpty()).isFalse();
        assertThat(queue.poll()).isSameAs(first);
        assertThat(first.nextInQueue).as("no stale link kept").isNull();
        assertThat(queue.poll()).isSameAs(second);
        assertThat(queue.poll()).isNull();
        assertThat(queue.isEmpty()).isTrue();

        WheelTimer third = timer(0, 3);
        queue.offer(third);
        assertThat(queue.poll()).isSameAs(third);
    }

    @Test
    void everyTimerOfConcurrentProducersArrivesOnceAndInEachProducersOrder() throws InterruptedException {
        int producers = 4;
        int perProducer = 100_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < perProducer; i++) {
                    queue.offer(timer(producer, i));
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();

        long[] nextExpected = new long[producers];
        int received = 0;
        while (received < producers * perProducer) {
            WheelTimer timer = queue.poll();
            if (timer == null) {
                Thread.onSpinWait();
                continue;
            }
            int producer = (int) timer.periodNanos;
            assertThat(timer.deadline).isEqualTo(nextExpected[producer]);
            nextExpected[producer]++;
            received++;
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(queue.poll()).isNull();
        assertThat(nextExpected).containsOnly(perProducer);
    }

    /** The producer's number rides in the period, its sequence number in the deadline. */
    private static WheelTimer timer(int producer, long sequence) {
        return new WheelTimer(null, null, sequence, producer);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
