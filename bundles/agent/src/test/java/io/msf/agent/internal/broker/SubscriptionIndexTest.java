package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.msf.protocol.api.Message;
import io.msf.protocol.api.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriptionIndexTest {

    private record Named(String subscriberLabel) implements Subscriber {
        @Override
        public boolean publication(Message publication) {
            return true;
        }
    }

    private final SubscriptionIndex index = new SubscriptionIndex();
    private final Subscriber a = new Named("a");
    private final Subscriber b = new Named("b");

    @Test
    void findsExactAndWildcardSubscribersOnceEach() {
        index.add("x.y", a);
        index.add("x.*", a);
        index.add("x.>", b);
        index.add(">", b);

        SubscriptionIndex.Route route = index.route("x.y");

        assertThat(route.targets()).containsExactly(a, b);
        assertThat(route.via()).extracting(entry -> entry.pattern).containsExactlyInAnyOrder("x.y", "x.*", "x.>", ">");
        assertThat(index.route("x").targets()).containsExactly(b);
        assertThat(index.route("q.y.z").targets()).containsExactly(b);
    }

    @Test
    void aRepeatedRouteIsServedFromTheCacheUntilTheSubscriptionsChange() {
        index.add("x.*", a);
        SubscriptionIndex.Route first = index.route("x.y");

        assertThat(index.route("x.y")).isSameAs(first);

        index.add("x.y", b);
        assertThat(index.route("x.y").targets()).containsExactly(b, a);
        index.remove("x.*", a);
        assertThat(index.route("x.y").targets()).containsExactly(b);
        index.removeAll(b);
        assertThat(index.route("x.y")).isSameAs(SubscriptionIndex.Route.NONE);
        assertThat(index.topics()).isEmpty();
    }

    @Test
    void onlyValidTopicsRoutedSinceTheLastChangeAreRemembered() {
        index.add("x.>", a);
        assertThat(index.remembers("x.y")).isFalse();

        index.route("x.y");
        index.route("x..y"); // an empty segment: routed (to nobody valid), never remembered
        index.route("x.*");  // a wildcard is no topic

        assertThat(index.remembers("x.y")).isTrue();
        assertThat(index.remembers("x..y")).isFalse();
        assertThat(index.remembers("x.*")).isFalse();
        index.add("z", b);
        assertThat(index.remembers("x.y")).isFalse();
    }

    @Test
    void subscribingTwiceChangesNothingAndRemovingNeedsTheExactText() {
        assertThat(index.add("x.>", a)).isTrue();
        assertThat(index.add("x.>", a)).isFalse();
        assertThat(index.patternsOf(a)).isEqualTo(1);

        assertThat(index.remove("x.*", a)).isFalse();
        assertThat(index.remove("x.>", b)).isFalse();
        assertThat(index.remove("x.>", a)).isTrue();
        assertThat(index.patternsOf(a)).isZero();
    }

    @Test
    void theCacheStaysBoundedAndCorrect() {
        index.add("t.>", a);
        for (int i = 0; i < SubscriptionIndex.MAX_CACHED_TOPICS * 2; i++) {
            assertThat(index.route("t." + i).targets()).containsExactly(a);
        }
        assertThat(index.route("u.1").targets()).isEmpty();
    }

    @Test
    void topicsListPatternsWithSubscribersInOrder() {
        index.add("b.>", a);
        index.add("a.b", a);
        index.add("a.b", b);

        assertThat(index.topics()).extracting(topic -> topic.pattern() + "=" + topic.subscribers())
                .containsExactly("a.b=[a, b]", "b.>=[a]");
    }

    @Test
    void manySubscribersWithExactAndWildcardPatternsAreRoutedAsEachPatternMatches() {
        List<Subscriber> subscribers = new ArrayList<>();
        for (int s = 0; s < 60; s++) {
            Subscriber subscriber = new Named("s" + s);
            subscribers.add(subscriber);
            for (int p = 0; p < 40; p++) {
                index.add(pattern(s, p), subscriber);
            }
        }
        assertRoutesAsMatched(subscribers);

        // Half of them leave, some drop a pattern, one comes back: each route follows.
        for (int s = 0; s < subscribers.size(); s += 2) {
            index.removeAll(subscribers.get(s));
        }
        for (int s = 1; s < subscribers.size(); s += 4) {
            assertThat(index.remove(pattern(s, 3), subscribers.get(s))).isTrue();
        }
        assertThat(index.add(pattern(0, 5), subscribers.get(0))).isTrue();
        assertRoutesAsMatched(subscribers);
    }

    @Test
    void aResubscribeStormCostsWhatItChangesNotWhatTheIndexHolds() {
        // 100 peers coming back with 500 patterns each, on an index of 50,000: a rebuild per pattern
        // costs ~2.5e9 map insertions (minutes); incremental, a fraction of a second.
        List<Subscriber> peers = new ArrayList<>();
        for (int s = 0; s < 100; s++) {
            peers.add(new Named("p" + s));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int round = 0; round < 2; round++) {
                for (Subscriber peer : peers) {
                    index.removeAll(peer);
                    for (int p = 0; p < 500; p++) {
                        index.add(peer.subscriberLabel() + ".t" + p + (p % 10 == 0 ? ".>" : ""), peer);
                    }
                    index.route("p1.t1");
                }
            }
        });
        assertThat(index.patternsOf(peers.get(7))).isEqualTo(500);
        assertThat(index.route("p7.t10.x").targets()).containsExactly(peers.get(7));
        assertThat(index.route("p7.t11").targets()).containsExactly(peers.get(7));
        assertThat(index.topics()).hasSize(50_000);
    }

    @Test
    void aPatternEmptiedAndMadeAgainIsRoutedAgain() {
        index.add("x.*", a);
        index.add("x.y", b);
        assertThat(index.route("x.y").targets()).containsExactly(b, a);
        index.remove("x.*", a);
        index.remove("x.y", b);
        assertThat(index.route("x.y")).isSameAs(SubscriptionIndex.Route.NONE);
        assertThat(index.patterns()).isEmpty();

        index.add("x.*", b);
        assertThat(index.route("x.y").targets()).containsExactly(b);
        index.add("x.y", a);
        assertThat(index.route("x.y").targets()).containsExactly(a, b);
        assertThat(index.patterns()).containsExactlyInAnyOrder("x.*", "x.y");
    }

    /** Exact and wildcard patterns, some shared by several subscribers, some overlapping. */
    private static String pattern(int subscriber, int p) {
        return switch (p % 4) {
            case 0 -> "a.b" + (p % 7);
            case 1 -> "a.*." + (subscriber % 5);
            case 2 -> "a." + (subscriber % 3) + ".>";
            default -> "s" + subscriber + ".c" + p;
        };
    }

    private void assertRoutesAsMatched(List<Subscriber> subscribers) {
        List<String> topics = List.of("a.b1", "a.b6", "a.x.2", "a.1.y", "a.1.4", "a.2.z.w", "s3.c3", "s1.c3", "s4.c7", "q");
        for (String topic : topics) {
            Set<Subscriber> expected = new LinkedHashSet<>();
            for (Subscriber subscriber : subscribers) {
                for (int p = 0; p < 40; p++) {
                    if (index.holds(pattern(subscribers.indexOf(subscriber), p), subscriber)
                            && Topic.matches(pattern(subscribers.indexOf(subscriber), p), topic)) {
                        expected.add(subscriber);
                    }
                }
            }
            assertThat(index.route(topic).targets()).as(topic).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(index.route(topic).targets()).as(topic).doesNotHaveDuplicates();
        }
    }
}
