package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.local.LocalChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client closed during a burst: the drain that finds the event loop no longer taking tasks
 * (the final pass of its shutdown) releases every frame still queued and reports each publication
 * as failed, instead of leaving them, and the outbox, stranded.
 */
class OutboxShutdownTest {

    @Test
    void framesQueuedWhenTheEventLoopStopsTakingTasksAreAllReleased() throws Exception {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        LocalChannel channel = new LocalChannel();
        group.register(channel).sync();
        EventLoop loop = channel.eventLoop();
        AtomicInteger reported = new AtomicInteger();
        Outbox outbox = new Outbox(channel, (topic, command, cause) -> reported.incrementAndGet());
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            blocked.countDown();
            awaitQuietly(release);
        });
        blocked.await();

        List<ByteBuf> payloads = new ArrayList<>();
        for (int i = 0; i < Outbox.FRAMES_PER_TASK + 10; i++) {
            ByteBuf payload = Unpooled.buffer(4).writeInt(i);
            payloads.add(payload);
            outbox.publish(Message.publish("t", 1, i, payload)); // one drain accepted by the loop
        }
        // The loop takes no new task from now on, but runs the drain already queued: the state a loop
        // is in for the last pass of a graceful shutdown.
        shutDownAtOnce(loop);
        release.countDown();
        assertThat(group.terminationFuture().await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(payloads).allSatisfy(payload -> assertThat(payload.refCnt()).isZero());
        // the channel never connected: the written ones failed too, and every one was reported
        assertThat(reported).hasValue(payloads.size());
    }

    /**
     * A notification or request that took the session just before the client closed: its frame
     * reaches the outbox once the event loop is gone. The write's future fails, and its listeners
     * (which complete the notification's stage and fail the call) must still run, or the caller
     * waits forever.
     */
    @Test
    void aFrameSentAfterTheEventLoopEndedFailsAndItsListenersAreTold() throws Exception {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        LocalChannel channel = new LocalChannel();
        group.register(channel).sync();
        Outbox outbox = new Outbox(channel, (topic, command, cause) -> { });
        assertThat(group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS)).isTrue();
        ByteBuf payload = Unpooled.buffer(4).writeInt(1);

        CompletableFuture<Throwable> told = new CompletableFuture<>();
        outbox.send(Message.notification(42, 1, 1, payload)).addListener(written -> told.complete(written.cause()));

        assertThat(told).succeedsWithin(5, TimeUnit.SECONDS).isNotNull();
        assertThat(payload.refCnt()).isZero();
    }

    @SuppressWarnings("deprecation")
    private static void shutDownAtOnce(EventLoop loop) {
        loop.shutdown();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
