package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/**
 * A subscription's listener runs on one executor, one publication at a time in order. An executor
 * that refuses a task is shut down but may still run what it queued: moving the subscription to
 * another one then ran its listener twice at once, and out of order.
 */
class ListenerLoopGoneTest {

    /** Each wait ends as soon as what it waits for is done: long, for a loaded build machine. */
    private static final long WAIT_SECONDS = 30;

    private final DefaultEventExecutor first = new DefaultEventExecutor();
    private final DefaultEventExecutor second = new DefaultEventExecutor();
    private final TestTimers timers = new TestTimers();

    @AfterEach
    void stop() throws Exception {
        first.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        second.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        timers.close();
    }

    @Test
    @SuppressWarnings("deprecation") // shutdown(): refuses new tasks at once, still runs those queued
    void aPublicationTheListenersExecutorRefusesIsDroppedNotRunOnAnother() throws Exception {
        Iterator<EventExecutor> executors = List.<EventExecutor>of(first, second).iterator();
        Broker broker = new Broker(BrokerSettings.DEFAULTS, timers, executors::next, mock(Logger.class));
        LocalClient subscriber = broker.openClient("bundle slow 1.0.0", UnpooledByteBufAllocator.DEFAULT);
        LocalClient publisher = broker.openClient("bundle feed 1.0.0", UnpooledByteBufAllocator.DEFAULT);
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        List<Integer> order = new CopyOnWriteArrayList<>();
        subscriber.subscribe("feed", message -> {
            if (running.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            order.add(message.command());
            if (message.command() == 1) {
                inFirst.countDown();
                await(goOn);
            }
            running.decrementAndGet();
        });

        publisher.publish("feed", 1, Unpooled.EMPTY_BUFFER);
        assertThat(inFirst.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the listener got the first").isTrue();
        publisher.publish("feed", 2, Unpooled.EMPTY_BUFFER); // waits on the first executor
        first.shutdown();
        publisher.publish("feed", 3, Unpooled.EMPTY_BUFFER); // refused there
        second.submit(() -> { }).get(WAIT_SECONDS, TimeUnit.SECONDS); // had it gone to the second, it ran by now
        goOn.countDown();
        assertThat(first.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        assertThat(overlapped).as("the listener ran twice at once").isFalse();
        assertThat(order).as("publications the listener got").containsExactly(1, 2);
        assertThat(subscriber.info().errors()).as("the one dropped, counted").isEqualTo(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
