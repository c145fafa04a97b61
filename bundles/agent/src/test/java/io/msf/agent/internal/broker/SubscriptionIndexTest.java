package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.protocol.api.Message;
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
}
