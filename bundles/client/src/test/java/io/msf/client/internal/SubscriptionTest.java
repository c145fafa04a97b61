package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.ConnectedClient;
import io.msf.client.api.Subscription;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Publish and subscribe: acknowledged subscriptions, delivery by pattern, unsubscribing. */
class SubscriptionTest extends ClientTestBase {

    private final ConnectedClient client = connect(options().name("sub"));
    private final ConnectedClient publisher = connect(options().name("pub"));

    @Test
    void aSubscriptionIsAcknowledgedAndGetsWhatMatches() {
        Queue<String> seen = new ConcurrentLinkedQueue<>();

        Subscription subscription = client.subscribe("dlna.>", collect(seen));
        publisher.publish("upnp.device.added", 1, text("not for us"));
        publisher.publish("dlna.device.added", 2, text("tv"));

        assertThat(subscription.pattern()).isEqualTo("dlna.>");
        assertThat(agent.subscribes).containsExactly("dlna.>"); // acknowledged before subscribe() returned
        // upnp.device.added was published first: had it been delivered, it would be here before dlna's.
        await().untilAsserted(() -> assertThat(seen).containsExactly("PUBLISH dlna.device.added 2 tv"));
    }

    @Test
    void aPublisherGetsItsOwnPublicationsWhenSubscribed() {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        client.subscribe("news.*", collect(seen));

        client.publish("news.today", 3, text("self"));

        await().untilAsserted(() -> assertThat(seen).containsExactly("PUBLISH news.today 3 self"));
    }

    @Test
    void thePatternIsUnsubscribedWhenItsLastSubscriptionCloses() {
        Queue<String> first = new ConcurrentLinkedQueue<>();
        Queue<String> second = new ConcurrentLinkedQueue<>();
        Queue<String> sentinel = new ConcurrentLinkedQueue<>();
        Subscription one = client.subscribe("a.b", collect(first));
        Subscription two = client.subscribe("a.b", collect(second));
        client.subscribe("z.end", collect(sentinel));

        one.close();
        one.close();
        publisher.publish("a.b", 1, text("after one"));
        await().untilAsserted(() -> assertThat(second).hasSize(1));
        two.close();
        publisher.publish("a.b", 1, text("after both"));
        publisher.publish("z.end", 1, text("end"));

        await().untilAsserted(() -> assertThat(sentinel).hasSize(1));
        assertThat(first).isEmpty();
        assertThat(second).containsExactly("PUBLISH a.b 1 after one");
        assertThat(agent.unsubscribes).containsExactly("a.b");
    }

    @Test
    void aPublicationReachesEachExactAndWildcardSubscriptionThatMatchesItOnce() {
        Queue<String> exact = new ConcurrentLinkedQueue<>();
        Queue<String> exactToo = new ConcurrentLinkedQueue<>();
        Queue<String> wildcard = new ConcurrentLinkedQueue<>();
        Queue<String> other = new ConcurrentLinkedQueue<>();
        client.subscribe("device.1", collect(exact));
        client.subscribe("device.*", collect(wildcard));
        client.subscribe("device.1", collect(exactToo));
        client.subscribe("device.2", collect(other));

        publisher.publish("device.1", 1, text("one"));
        publisher.publish("device.2", 2, text("two"));
        publisher.publish("device.3", 3, text("three"));

        await().untilAsserted(() -> assertThat(wildcard).hasSize(3));
        assertThat(wildcard).containsExactly("PUBLISH device.1 1 one", "PUBLISH device.2 2 two",
                "PUBLISH device.3 3 three");
        await().untilAsserted(() -> assertThat(other).containsExactly("PUBLISH device.2 2 two"));
        await().untilAsserted(() -> assertThat(exact).containsExactly("PUBLISH device.1 1 one"));
        await().untilAsserted(() -> assertThat(exactToo).containsExactly("PUBLISH device.1 1 one"));
    }

    @Test
    void listenersThatDoNotBlockCanRunOnTheIoThreadAndGetEveryPublicationInOrder() {
        ConnectedClient inline = connect(options().name("inline").listenersOnIoThread(true));
        Queue<String> threads = new ConcurrentLinkedQueue<>();
        Queue<String> first = new ConcurrentLinkedQueue<>();
        Queue<String> second = new ConcurrentLinkedQueue<>();
        inline.subscribe("io.*", message -> {
            threads.add(Thread.currentThread().getName());
            first.add(FakeAgent.text(message.payload()));
        });
        inline.subscribe("io.>", collect(second));

        for (int i = 0; i < 200; i++) {
            publisher.publish("io.n", i, text(Integer.toString(i)));
        }

        java.util.List<String> expected = java.util.stream.IntStream.range(0, 200).mapToObj(Integer::toString).toList();
        await().untilAsserted(() -> assertThat(first).containsExactlyElementsOf(expected));
        await().untilAsserted(() -> assertThat(second).hasSize(200));
        assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("msf-client-").endsWith("-inline-io"));
    }

    @Test
    void aListenerThatThrowsStillGetsTheNextPublications() {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        client.subscribe("t", message -> {
            seen.add(FakeAgent.text(message.payload()));
            throw new IllegalStateException("listener bug");
        });

        publisher.publish("t", 1, text("1"));
        publisher.publish("t", 1, text("2"));

        await().untilAsserted(() -> assertThat(seen).containsExactly("1", "2"));
    }

    @Test
    void badPatternsAndTopicsAreRefusedAtOnce() {
        var payload = text("x");

        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> client.subscribe("a.>.b", m -> { })))
                .hasMessageContaining(">");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> client.publish("a.*", 1, payload)))
                .isNotNull();
        assertThat(payload.refCnt()).isZero();
        assertThat(agent.subscribes).isEmpty();
    }

    @Test
    void aPublicationTheListenerIsGivenIsReleasedAfterIt() {
        Queue<Message> kept = new ConcurrentLinkedQueue<>();
        client.subscribe("k", kept::add);

        publisher.publish("k", 1, text("released after the listener"));

        await().untilAsserted(() -> assertThat(kept).singleElement()
                .satisfies(message -> assertThat(message.refCnt()).isZero()));
    }

    private static Consumer<Message> collect(Queue<String> seen) {
        return message -> {
            assertThat(message.type()).isEqualTo(MessageType.PUBLISH);
            seen.add(message.type() + " " + message.subject() + " " + message.command() + " "
                    + FakeAgent.text(message.payload()));
        };
    }
}
