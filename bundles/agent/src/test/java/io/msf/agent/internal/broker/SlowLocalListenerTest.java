package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.msf.client.api.Address;
import io.msf.protocol.api.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An in-container listener that falls behind loses the publications beyond the high-water mark. It
 * is told once per episode, not once per publication it lets through: a listener that keeps up with
 * part of a feed would otherwise write a WARN line for every publication it takes.
 */
class SlowLocalListenerTest {

    private static final int HIGH_WATER = 65_536;
    private static final int PAYLOAD = 10_000;

    private AgentServer agent;
    private LocalClient subscriber;
    private LocalClient publisher;
    private final Semaphore permits = new Semaphore(0);
    private final AtomicInteger delivered = new AtomicInteger();
    private int published;

    @BeforeEach
    void start() throws Exception {
        agent = new AgentServer(new BrokerSettings(Protocol.DEFAULT_MAX_FRAME_BYTES, 0, 3, 5000, HIGH_WATER, 10_000,
                null));
        subscriber = agent.broker.openClient("bundle slow 1.0.0", UnpooledByteBufAllocator.DEFAULT);
        publisher = agent.broker.openClient("bundle feed 1.0.0", UnpooledByteBufAllocator.DEFAULT);
        subscriber.subscribe("feed", message -> {
            permits.acquireUninterruptibly();
            delivered.incrementAndGet();
        });
    }

    @AfterEach
    void stop() throws Exception {
        permits.release(1_000);
        subscriber.close();
        publisher.close();
        agent.close();
    }

    @Test
    void aListenerThatKeepsFallingBehindIsToldOfItOnceAndOfTheCountWhenItCatchesUp() {
        publishPastTheMark(); // some wait, the rest are dropped: the episode begins
        for (int i = 0; i < 5; i++) {
            int before = delivered.get();
            permits.release(); // the listener takes one and waits again, the queue still near the mark
            await().atMost(Duration.ofSeconds(5)).until(() -> delivered.get() > before);
            publish(3);
        }

        verify(agent.log, times(1)).warn(contains("falls behind"), any(Object[].class));
        long dropped = subscriber.info().errors();
        assertThat(dropped).as("publications dropped").isGreaterThan(5);

        permits.release(1_000); // it catches up
        verify(agent.log, timeout(5_000)).warn(contains("caught up"), eq("bundle slow 1.0.0"), eq("feed"), eq(dropped));

        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.get() == published - dropped);
        clearInvocations(agent.log);
        permits.drainPermits();
        publishPastTheMark(); // a new episode is told again
        verify(agent.log, times(1)).warn(contains("falls behind"), any(Object[].class));
        verify(agent.log, never()).warn(contains("caught up"), anyString(), anyString(), any(Long.class));
    }

    /**
     * A publication larger than the whole mark reaches a listener that is not behind, as such a frame
     * reaches a connection whose queue is under the mark: it was dropped every time, with a WARN that
     * the listener fell behind.
     */
    @Test
    void aPublicationLargerThanTheMarkReachesAListenerWithNothingQueued() {
        permits.release(1_000);
        publisher.publish("feed", 1, Unpooled.wrappedBuffer(new byte[HIGH_WATER * 2]));

        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.get() == 1);
        assertThat(subscriber.info().errors()).as("publications dropped").isZero();
        verify(agent.log, never()).warn(contains("falls behind"), any(Object[].class));
    }

    /**
     * A publication that waits for the listener keeps no much larger buffer alive: its payload a small part of
     * the read buffer of the connection it came from (here a slice of a 64 KiB buffer), the queue kept that whole
     * buffer while the mark counted the frame alone.
     */
    @Test
    void aWaitingPublicationKeepsNoMuchLargerBufferAlive() {
        publish(1); // with the listener, which waits: the next waits behind it
        ByteBuf read = Unpooled.buffer(64 * 1024).writeZero(64 * 1024);
        publisher.publish("feed", 1, read.retainedSlice(0, PAYLOAD / 4));
        read.release();

        await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.info().queueDepth() == 1);
        assertThat(read.refCnt()).as("the larger buffer, its slice waiting for the listener").isZero();
        permits.release(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.get() == 2);
    }

    /**
     * What waits for a bundle's listeners is its queue in agent:stats and the metrics, as the bytes
     * waiting for a connection are: it showed 0 whatever the backlog, and a slow listener could be
     * told only by the publications it had lost already.
     */
    @Test
    void whatWaitsForTheListenerIsTheClientsQueueDepth() {
        publish(4); // the first is with the listener, which waits: three wait behind it

        await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.info().queueDepth() == 3);
        assertThat(publisher.info().queueDepth()).isZero();

        permits.release(4);
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.get() == 4);
        assertThat(subscriber.info().queueDepth()).isZero();
    }

    /**
     * The replies given to a client are counted among what it was given, but are no publications: the
     * mean frame its queue is divided by is that of its publications alone, or a client that requests as
     * well as it listens would show more publications waiting than there are.
     */
    @Test
    void theQueueDepthOfAClientThatWasAlsoGivenRepliesIsItsPublicationsCount() {
        agent.broker.addHandler(TextMessages.echo(""), new HandlerProperties(1001, "echo", 0, 1), "bundle echo");
        for (int i = 0; i < 10; i++) {
            subscriber.request(Address.name("echo"), 1, TextMessages.text("x"), Duration.ofSeconds(5)).release();
        }
        assertThat(subscriber.info().messagesOut()).as("the replies").isEqualTo(10);

        publish(4); // the first is with the listener, which waits: three wait behind it

        await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.info().messagesOut() == 14);
        assertThat(subscriber.info().queueDepth()).isEqualTo(3);
    }

    /**
     * Small publications on a long topic: the frames waiting count the topic, which the payload bytes
     * given to the client do not, and dividing one by the other showed 1000 waiting as more than 3000.
     */
    @Test
    void theQueueDepthOfSmallPublicationsOnALongTopicIsTheirCount() {
        String topic = "plant.building-7.floor-3.line-12.station-45.device-0017.state.temperature.celsius";
        subscriber.subscribe(topic, message -> {
            permits.acquireUninterruptibly();
            delivered.incrementAndGet();
        });
        for (int i = 0; i < 11; i++) { // the first is with the listener: ten wait behind it
            publisher.publish(topic, i, Unpooled.wrappedBuffer(new byte[1]));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.info().queueDepth() == 10);
    }

    private void publishPastTheMark() {
        long errors = subscriber.info().errors();
        for (int i = 0; i < 100 && subscriber.info().errors() == errors; i++) {
            publish(1);
        }
        assertThat(subscriber.info().errors()).as("a publication dropped").isGreaterThan(errors);
        verify(agent.log, atLeastOnce()).warn(contains("falls behind"), any(Object[].class));
    }

    private void publish(int count) {
        for (int i = 0; i < count; i++) {
            publisher.publish("feed", i, Unpooled.wrappedBuffer(new byte[PAYLOAD]));
            published++;
        }
    }
}
