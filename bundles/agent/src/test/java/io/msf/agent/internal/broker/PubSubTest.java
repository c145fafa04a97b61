package io.msf.agent.internal.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.msf.agent.api.TopicInfo;
import io.msf.client.api.Subscription;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Publish and subscribe (docs/protocol.md section 9), between connections and the container. */
class PubSubTest {

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();

    /**
     * Subscribing twice to the same pattern changes nothing (docs/protocol.md 9.2): at the limit of
     * patterns a repeat is acknowledged, only a new pattern is one too many. The client library sends
     * a SUBSCRIBE for every subscribe() call, so a second listener on a held pattern would fail.
     */
    @Test
    void atThePatternLimitARepeatedSubscribeIsAcknowledgedAndANewPatternRefused() throws Exception {
        TestPeer peer = agent.peer(1, "many");
        for (int i = 0; i < Publications.MAX_PATTERNS_PER_SUBSCRIBER; i++) {
            peer.subscribe("many." + i);
        }
        for (int i = 0; i < Publications.MAX_PATTERNS_PER_SUBSCRIBER; i++) {
            assertThat(peer.next().type()).isEqualTo(MessageType.REPLY);
        }

        long repeat = peer.subscribe("many.0");
        Frame ack = peer.next();
        assertThat(ack.type()).as("answer to a repeated SUBSCRIBE: %s", ack).isEqualTo(MessageType.REPLY);
        assertThat(ack.sequence()).isEqualTo(repeat);

        long extra = peer.subscribe("one.more");
        Frame refused = peer.next();
        assertThat(refused.error()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(refused.sequence()).isEqualTo(extra);
    }

    /** docs/protocol.md 9.2: the subscribers that accept the frame get it, the publisher one TOO_LARGE. */
    @Test
    void aPublicationOverOneSubscribersLimitReachesTheOthersAndTheLimitIsReported() throws Exception {
        TestPeer small = agent.connect();
        assertThat(small.hello(1, "small", false, null, 1024).type()).isEqualTo(MessageType.HELLO);
        small.subscribed("big.>");
        TestPeer large = agent.peer(2, "large");
        large.subscribed("big.>");
        TestPeer publisher = agent.peer(3, "");

        String text = "x".repeat(2000);
        publisher.send(Message.publish("big.news", 7, 99, TestPeer.text(text)));

        assertThat(large.next().text()).isEqualTo(text);
        Frame error = publisher.next();
        assertThat(error.error()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(error.command()).isEqualTo(7);
        assertThat(error.sequence()).isEqualTo(99);
        assertThat(error.closing()).isFalse();
        // Which subscriber, and its limit: the publisher can tell a peer's small limit from its own mistake.
        assertThat(error.text()).endsWith("over the limit of 1 subscriber(s): 'small' (#1) with 1024 bytes");
        small.assertNothingElse();
        large.assertNothingElse();
    }

    @Test
    void wildcardsMatchAsSpecified() throws Exception {
        TestPeer exact = agent.peer(1, "exact");
        TestPeer one = agent.peer(2, "one");
        TestPeer rest = agent.peer(3, "rest");
        TestPeer all = agent.peer(4, "all");
        exact.subscribed("dlna.device.added");
        one.subscribed("dlna.*.added");
        rest.subscribed("dlna.>");
        all.subscribed(">");
        TestPeer publisher = agent.peer(5, "");

        publisher.publish("dlna.device.added", 1, "a");
        publisher.publish("dlna.added", 2, "b");
        publisher.publish("dlna.a.b.added", 3, "c");
        publisher.publish("dlna", 4, "d");

        assertThat(exact.next().text()).isEqualTo("a");
        exact.assertNothingElse();
        assertThat(one.next().text()).isEqualTo("a");
        one.assertNothingElse();
        assertThat(List.of(rest.next().text(), rest.next().text(), rest.next().text())).containsExactly("a", "b", "c");
        rest.assertNothingElse();
        assertThat(List.of(all.next().text(), all.next().text(), all.next().text(), all.next().text()))
                .containsExactly("a", "b", "c", "d");
    }

    @Test
    void aPublicationCarriesItsTopicAndPublisherAndReachesTheSubscriberAsDestination() throws Exception {
        TestPeer subscriber = agent.peer(7, "sub");
        subscriber.subscribed("media.*");
        TestPeer publisher = agent.peer(5, "");

        publisher.publish("media.volume", 9, "7");

        Frame publication = subscriber.next();
        assertThat(publication.type()).isEqualTo(MessageType.PUBLISH);
        assertThat(publication.subject()).isEqualTo("media.volume");
        assertThat(publication.source()).isEqualTo(5);
        assertThat(publication.destination()).isEqualTo(7);
        assertThat(publication.command()).isEqualTo(9);
    }

    @Test
    void thePublisherGetsItsOwnPublicationAndEveryoneGetsItOnceHoweverManyPatternsMatch() throws Exception {
        TestPeer peer = agent.peer(7, "");
        peer.subscribed("a.>");
        peer.subscribed("a.b");
        peer.subscribed("*.b");
        peer.subscribed("a.b");

        peer.publish("a.b", 1, "once");

        assertThat(peer.next().text()).isEqualTo("once");
        peer.assertNothingElse();
        assertThat(agent.broker.topics()).extracting(TopicInfo::pattern).containsExactly("*.b", "a.>", "a.b");
        assertThat(agent.broker.topics()).allSatisfy(topic -> assertThat(topic.delivered()).isEqualTo(1));
    }

    @Test
    void unsubscribeStopsDeliveryAndIsAcknowledgedEvenWithoutASubscription() throws Exception {
        TestPeer peer = agent.peer(7, "sub");
        peer.subscribed("x.>");
        peer.send(Message.unsubscribe("x.>", 50));
        Frame ack = peer.next();
        assertThat(ack.type()).isEqualTo(MessageType.REPLY);
        assertThat(ack.sequence()).isEqualTo(50);
        peer.send(Message.unsubscribe("never.subscribed", 51));
        assertThat(peer.next().sequence()).isEqualTo(51);

        peer.publish("x.y", 1, "nobody");
        peer.assertNothingElse();
        assertThat(agent.broker.totals().unmatchedPublications()).isEqualTo(1);
    }

    @Test
    void badPatternsAndTopicsGetInvalidSubjectAndTheConnectionStays() throws Exception {
        TestPeer peer = agent.peer(7, "");

        long sequence = peer.subscribe("dev*");
        Frame badPattern = peer.next();
        assertThat(badPattern.error()).isEqualTo(ErrorCode.INVALID_SUBJECT);
        assertThat(badPattern.sequence()).isEqualTo(sequence);
        assertThat(badPattern.closing()).isFalse();

        peer.publish("a.*", 1, "x");
        Frame badTopic = peer.next();
        assertThat(badTopic.error()).isEqualTo(ErrorCode.INVALID_SUBJECT);
        assertThat(badTopic.text()).contains("wildcard");
        peer.subscribed("a.>");
    }

    @Test
    void aConnectionsSubscriptionsEndWithIt() throws Exception {
        TestPeer peer = agent.peer(7, "");
        peer.subscribed("a.>");
        assertThat(agent.broker.topics()).hasSize(1);

        peer.close();

        await().until(() -> agent.broker.topics().isEmpty());
    }

    @Test
    void publicationsCrossBetweenConnectionsAndTheContainer() throws Exception {
        LocalClient client = agent.broker.openClient("bundle test 1.0.0", UnpooledByteBufAllocator.DEFAULT);
        List<String> received = new CopyOnWriteArrayList<>();
        Subscription subscription = client.subscribe("news.>", message -> received.add(message.subject() + "="
                + message.payload().toString(UTF_8) + " from " + Integer.toUnsignedString(message.source())));
        TestPeer peer = agent.peer(7, "");
        peer.subscribed("news.>");

        peer.publish("news.socket", 1, "s");
        assertThat(peer.next().text()).isEqualTo("s");
        await().until(() -> received.size() == 1);
        client.publish("news.local", 2, Unpooled.copiedBuffer("l", UTF_8));

        await().until(() -> received.size() == 2);
        assertThat(received).containsExactly("news.socket=s from 7",
                "news.local=l from " + Integer.toUnsignedString(client.id()));
        Frame local = peer.next();
        assertThat(local.text()).isEqualTo("l");
        assertThat(local.source()).isEqualTo(client.id());

        subscription.close();
        client.publish("news.after", 3, Unpooled.copiedBuffer("x", UTF_8));
        assertThat(peer.next().subject()).isEqualTo("news.after");
        assertThat(received).hasSize(2);
        assertThatThrownBy(() -> client.publish("news.*", 1, Unpooled.EMPTY_BUFFER))
                .isInstanceOf(IllegalArgumentException.class);
        client.close();
    }

    @Test
    void aLocalListenerGetsOnePublicationAtATimeInOrder() throws Exception {
        LocalClient client = agent.broker.openClient("bundle test 1.0.0", UnpooledByteBufAllocator.DEFAULT);
        List<Integer> order = new CopyOnWriteArrayList<>();
        int[] concurrent = new int[1];
        client.subscribe("count", message -> {
            synchronized (concurrent) {
                concurrent[0]++;
                assertThat(concurrent[0]).isEqualTo(1);
            }
            order.add(message.command());
            synchronized (concurrent) {
                concurrent[0]--;
            }
        });
        TestPeer publisher = agent.peer(7, "");

        for (int i = 0; i < 100; i++) {
            publisher.publish("count", i, "");
        }

        await().until(() -> order.size() == 100);
        assertThat(order).isSorted();
        client.close();
        assertThat(agent.broker.topics()).isEmpty();
    }
}
