package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Publications leave in bursts (one task and one flush per burst) and are delivered in batches
 * (one hand-off per read): none is lost or reordered, the outbound queue stays bounded, and a
 * publication that cannot be written is still reported.
 */
class PublishBatchingTest extends ClientTestBase {

    private static final int MANY = 20_000;

    @Test
    void manyPublicationsFromOneThreadArriveAllInOrderAndANotificationSentAfterThemDoesNotOvertakeThem() {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        ConnectedClient subscriber = connect(options().name("sub").maxQueuedMessages(MANY + 1).handler(message -> {
            seen.add("notified " + FakeAgent.text(message.payload()));
            return CompletableFuture.completedFuture(null);
        }));
        subscriber.subscribe("burst", message -> seen.add(FakeAgent.text(message.payload())));
        ConnectedClient publisher = connect(options().name("pub"));

        for (int i = 0; i < MANY; i++) {
            publisher.publish("burst", 1, text(Integer.toString(i)));
        }
        publisher.notify(Address.name("sub"), 2, text("last"));

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < MANY; i++) {
            expected.add(Integer.toString(i));
        }
        expected.add("notified last");
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(seen).hasSize(MANY + 1));
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(errors).isEmpty();
    }

    @Test
    void publicationsPastTheHighWaterMarkAreRefusedWithOverloadedAndReleased() throws Exception {
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ConnectedClient publisher = connect(options().ioThreads(io));
        try {
            CountDownLatch blocked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            io.next().execute(() -> {
                blocked.countDown();
                awaitQuietly(release); // nothing is written while the event loop waits here
            });
            blocked.await();
            int size = 64 << 10;
            int mostThatFit = Connector.OUTBOUND_HIGH_WATER_BYTES / size + 1;
            List<ByteBuf> payloads = new ArrayList<>();
            for (int i = 0; i < 2 * mostThatFit; i++) {
                ByteBuf payload = ClientBuffers.ALLOCATOR.buffer(size).writeZero(size);
                payloads.add(payload);
                publisher.publish("flood", 1, payload);
            }
            release.countDown();

            await().untilAsserted(() -> assertThat(errors).isNotEmpty());
            assertThat(errors).allSatisfy(error -> {
                assertThat(error.code()).isEqualTo(ErrorCode.OVERLOADED);
                assertThat(error).hasMessageContaining("publication on 'flood'");
            });
            assertThat(errors.stream().mapToLong(PublishBatchingTest::publicationsIn).sum())
                    .isGreaterThanOrEqualTo(mostThatFit - 1);
            // Every payload was taken over: the refused ones at once, the queued ones once written.
            await().untilAsserted(() -> assertThat(payloads).allSatisfy(p -> assertThat(p.refCnt()).isZero()));
        } finally {
            publisher.close();
            io.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * A publisher does not slow down for an agent that is gone, and an onError that logs is slower
     * than publish(): the reports of dropped publications must not pile up for the callback thread.
     */
    @Test
    void publicationsDroppedWhileTheReportOfOneWaitsAreCountedIntoOneReport() {
        CountDownLatch release = new CountDownLatch(1);
        List<AgentException> reports = new CopyOnWriteArrayList<>();
        ConnectedClient client = connect(options().onError(error -> {
            reports.add(error);
            awaitQuietly(release);
        }));
        agent.stop();
        await().until(() -> client.state() == ConnectionState.RECONNECTING);

        client.publish("t", 0, text("first"));
        await().until(() -> reports.size() == 1); // onError holds the callback thread
        for (int i = 1; i <= 10_000; i++) {
            client.publish("t", i, text("dropped"));
        }
        release.countDown();

        await().during(300, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).until(() -> reports.size() == 2);
        assertThat(reports).allSatisfy(report -> assertThat(report.code()).isEqualTo(ErrorCode.PEER_OFFLINE));
        assertThat(reports.get(0)).hasMessageContaining("publication on 't', command 0: not connected");
        assertThat(reports.get(1)).hasMessageContaining("publication on 't', command 1: not connected")
                .hasMessageContaining("9999 more publications dropped since")
                .hasMessageContaining("the last: PEER_OFFLINE: publication on 't', command 10000: not connected");
    }

    @Test
    void aPublicationTooLargeForTheAgentIsReportedAndTheNextOnesStillArrive() {
        agent.maxFrameBytes = 2048;
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        ConnectedClient client = connect(options());
        client.subscribe("t", message -> seen.add(FakeAgent.text(message.payload())));

        client.publish("t", 7, Unpooled.wrappedBuffer(new byte[4096]));
        client.publish("t", 1, text("after"));

        await().untilAsserted(() -> assertThat(seen).containsExactly("after"));
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo(ErrorCode.TOO_LARGE);
            assertThat(error).hasMessageContaining("publication on 't', command 7")
                    .hasMessageContaining("over the peer's limit of 2048 bytes");
        });
    }

    /** How many dropped publications a report stands for: its own and those counted into it. */
    private static long publicationsIn(AgentException report) {
        Matcher more = Pattern.compile("; (\\d+) more publications dropped since").matcher(report.getMessage());
        return 1 + (more.find() ? Long.parseLong(more.group(1)) : 0);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
