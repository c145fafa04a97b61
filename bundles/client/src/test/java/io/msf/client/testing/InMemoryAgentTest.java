package io.msf.client.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.client.api.Subscription;
import io.msf.client.testing.InMemoryAgent.Sent;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The test agent keeps the agent's rules, or the modules testing against it would test against fiction. */
class InMemoryAgentTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private final InMemoryAgent agent = new InMemoryAgent();
    private final AgentClient caller = agent.client(7);

    @Test
    void routesByNameAndByIdAndTellsTheHandlerWhoAsked() {
        List<Integer> sources = new CopyOnWriteArrayList<>();
        agent.register("echo", m -> {
            sources.add(m.source());
            return CompletableFuture.completedFuture(m.payload().retain());
        });
        agent.register(42, m -> CompletableFuture.completedFuture(Unpooled.copiedBuffer("by id", UTF_8)));

        assertThat(text(caller.request(Address.name("echo"), 1, Unpooled.copiedBuffer("hi", UTF_8), SECOND)))
                .isEqualTo("hi");
        assertThat(text(caller.request(Address.id(42), 1, Unpooled.EMPTY_BUFFER, SECOND))).isEqualTo("by id");
        assertThat(sources).containsExactly(7);
        assertThat(agent.allReleased()).isTrue();
    }

    @Test
    void failuresArriveAsTheAgentWouldSendThem() {
        agent.register("strict", m -> {
            throw new AgentException(ErrorCode.NO_HANDLER, "no command " + m.command());
        });
        agent.register("broken", m -> {
            throw new IllegalStateException("bug");
        });
        agent.register("bare", m -> {
            throw new IllegalStateException();
        });
        agent.register("silent", m -> new CompletableFuture<>());
        agent.register("gate", m -> {
            throw new AgentException(ErrorCode.UNAUTHORIZED, "token expired");
        });

        assertThatThrownBy(() -> caller.request(Address.name("nobody"), 1, Unpooled.EMPTY_BUFFER, SECOND))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE));
        assertThatThrownBy(() -> caller.request(Address.name("strict"), 9, Unpooled.EMPTY_BUFFER, SECOND))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_HANDLER));
        assertThatThrownBy(() -> caller.request(Address.name("broken"), 1, Unpooled.EMPTY_BUFFER, SECOND))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
                    assertThat(e).hasMessageContaining("java.lang.IllegalStateException: bug");
                });
        assertThatThrownBy(() -> caller.request(Address.name("bare"), 1, Unpooled.EMPTY_BUFFER, SECOND))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
                    assertThat(e.detail()).as("as the agent words it: no ': null'")
                            .isEqualTo("java.lang.IllegalStateException");
                });
        assertThatThrownBy(() -> caller.request(Address.name("gate"), 1, Unpooled.EMPTY_BUFFER, SECOND))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
                    assertThat(e).hasMessageContaining("UNAUTHORIZED: token expired");
                });
        assertThatThrownBy(() -> caller.request(Address.name("silent"), 1, Unpooled.EMPTY_BUFFER, Duration.ofMillis(20)))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    }

    @Test
    void handlersMayRunOnThreadsOfTheirOwn() {
        List<String> threads = new CopyOnWriteArrayList<>();
        try (InMemoryAgent threaded = InMemoryAgent.onHandlerThreads()) {
            threaded.register("where", m -> {
                threads.add(Thread.currentThread().getName());
                return null;
            });
            threaded.client(1).request(Address.name("where"), 1, Unpooled.EMPTY_BUFFER, SECOND).release();
            await().until(threaded::allReleased);
        }
        assertThat(threads).singleElement().isNotEqualTo(Thread.currentThread().getName());
    }

    @Test
    void publicationsReachMatchingSubscribersAndEverythingSentIsRecorded() {
        List<String> heard = new CopyOnWriteArrayList<>();
        Subscription subscription = caller.subscribe("state.>", m -> heard.add(m.subject() + "=" + text(m.retain())));
        agent.register("upnp", m -> null);

        AgentClient sender = agent.client(8);
        sender.publish("state.changed", 3, Unpooled.copiedBuffer("playing", UTF_8));
        sender.publish("other", 3, Unpooled.copiedBuffer("ignored", UTF_8));
        sender.notify(Address.name("upnp"), 4, Unpooled.copiedBuffer("note", UTF_8)).toCompletableFuture().join();
        subscription.close();
        sender.publish("state.changed", 3, Unpooled.copiedBuffer("unheard", UTF_8));

        assertThat(heard).containsExactly("state.changed=playing");
        assertThat(agent.subscriptions()).isZero();
        assertThat(agent.published()).extracting(Sent::text).containsExactly("playing", "ignored", "unheard");
        assertThat(agent.notified()).containsExactly(new Sent("upnp", 4, "note"));
    }

    private static String text(Message message) {
        try {
            return message.payload().toString(UTF_8);
        } finally {
            message.release();
        }
    }
}
