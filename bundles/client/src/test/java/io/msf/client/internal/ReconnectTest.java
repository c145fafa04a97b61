package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.Test;

/** Losing the agent: failing fast while it is gone, registering again with REPLACE, subscribing again. */
class ReconnectTest extends ClientTestBase {

    @Test
    void aLostConnectionIsReplacedUnderTheSameIdAndNameWithItsSubscriptions() {
        ConnectedClient client = connect(options().id(7).name("tool"));
        int id = client.id();
        Queue<ConnectionState> states = states(client);
        Queue<String> news = new ConcurrentLinkedQueue<>();
        client.subscribe("news.>", message -> news.add(FakeAgent.text(message.payload())));

        agent.dropConnections();
        await().until(() -> states.contains(ConnectionState.CONNECTED));
        client.publish("news.today", 1, text("after the reconnect"));

        assertThat(states).containsExactly(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
        assertThat(List.copyOf(agent.hellos)).hasSize(2).last().satisfies(hello -> {
            assertThat(hello.replace()).isTrue();
            assertThat(hello.id()).isEqualTo(id);
            assertThat(hello.name()).isEqualTo("tool");
        });
        assertThat(client.id()).isEqualTo(id);
        assertThat(agent.subscribes).containsExactly("news.>", "news.>");
        await().untilAsserted(() -> assertThat(news).containsExactly("after the reconnect"));
    }

    @Test
    void withoutReplaceOnReconnectTheNameIsClaimedAfreshAfterALostConnection() {
        ConnectedClient client = connect(options().name("tool").replaceOnReconnect(false));
        Queue<ConnectionState> states = states(client);

        agent.dropConnections();
        await().until(() -> states.contains(ConnectionState.CONNECTED));

        assertThat(List.copyOf(agent.hellos)).hasSize(2).allSatisfy(hello -> {
            assertThat(hello.replace()).isFalse();
            assertThat(hello.name()).isEqualTo("tool");
        });
    }

    @Test
    void whileTheAgentIsGoneEverySendFailsAtOnceWithPeerOffline() throws Exception {
        ConnectedClient client = connect(options());

        agent.stop();
        await().until(() -> client.state() == ConnectionState.RECONNECTING);

        assertThat(catchThrowableOfType(AgentException.class,
                () -> client.request(Address.name(FakeAgent.ECHO), 1, text("x"), SECONDS_5)))
                .satisfies(peerOffline()).hasMessageContaining("not connected to the agent");
        assertThat(client.requestAsync(Address.name(FakeAgent.ECHO), 1, text("x"), SECONDS_5).toCompletableFuture())
                .failsWithin(SECONDS_5).withThrowableThat().havingRootCause().satisfies(peerOffline());
        assertThat(client.notify(Address.name(FakeAgent.ECHO), 1, text("x")).toCompletableFuture())
                .failsWithin(SECONDS_5).withThrowableThat().havingRootCause().satisfies(peerOffline());
        assertThat(catchThrowableOfType(AgentException.class, () -> client.subscribe("a", m -> { })))
                .satisfies(peerOffline());
        client.publish("a", 1, text("dropped"));
        await().untilAsserted(() -> assertThat(errors).singleElement().satisfies(peerOffline()));

        agent.start();
        assertThat(client.awaitConnected(SECONDS_5)).isTrue();
        assertThat(textOf(client.request(Address.name(FakeAgent.ECHO), 1, text("back"), SECONDS_5))).isEqualTo("back");
    }

    @Test
    void requestsOutstandingWhenTheConnectionDropsFailWithPeerOffline() {
        ConnectedClient client = connect(options());
        CompletableFuture<Message> outstanding = client.requestAsync(Address.name(FakeAgent.BLACKHOLE), 1, text("x"),
                Duration.ofSeconds(30)).toCompletableFuture();
        // Outstanding means the agent has it: dropped before it was written, the write would fail instead.
        await().until(() -> agent.swallowed.get() == 1);

        agent.dropConnections();

        assertThat(outstanding).failsWithin(SECONDS_5).withThrowableThat().havingRootCause()
                .satisfies(peerOffline()).withMessageContaining("was lost");
    }

    /**
     * The agent refuses claims in the range it assigns from (docs/protocol.md section 6), so a
     * client that offered its old assigned id again was refused DUPLICATE_ID on every reconnect
     * before it asked for a new one.
     */
    @Test
    void anAssignedIdIsNotClaimedAgainButANewOneAskedFor() {
        ConnectedClient client = connect(options().name("anon"));
        Queue<ConnectionState> states = states(client);
        int first = client.id();

        agent.dropConnections();
        await().until(() -> states.contains(ConnectionState.CONNECTED));

        assertThat(List.copyOf(agent.hellos)).extracting(FakeAgentConnection.HelloSeen::id).containsExactly(0, 0);
        assertThat(List.copyOf(agent.hellos)).last().satisfies(hello -> {
            assertThat(hello.replace()).isTrue();
            assertThat(hello.name()).isEqualTo("anon");
        });
        assertThat(client.id()).isNotEqualTo(first);
        assertThat(client.name()).isEqualTo("anon");
        assertThat(states).containsExactly(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
        assertThat(errors).isEmpty();
    }

    @Test
    void aRefusedReRegistrationClosesTheClientAndIsReported() {
        ConnectedClient client = connect(options());
        Queue<ConnectionState> states = states(client);

        agent.token = "rotated".getBytes(StandardCharsets.UTF_8);
        agent.dropConnections();

        await().until(() -> client.state() == ConnectionState.CLOSED);
        await().untilAsserted(() -> assertThat(errors).singleElement()
                .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED)));
        await().untilAsserted(() -> assertThat(states).containsExactly(ConnectionState.RECONNECTING,
                ConnectionState.CLOSED));
    }

    @Test
    void beingTakenOverByAnotherConnectionClosesTheClient() {
        ConnectedClient client = connect(options().id(5));

        agent.cutOff(ErrorCode.DUPLICATE_ID, "taken over by a new connection");

        await().until(() -> client.state() == ConnectionState.CLOSED);
        await().untilAsserted(() -> assertThat(errors).singleElement()
                .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_ID)));
    }

    @Test
    void anOverloadCutIsReportedAndReconnected() {
        ConnectedClient client = connect(options().id(5));
        Queue<ConnectionState> states = states(client);

        agent.cutOff(ErrorCode.OVERLOADED, "outbound queue over 1048576 bytes");

        await().until(() -> states.contains(ConnectionState.CONNECTED));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(e).hasMessageContaining("closed the connection: outbound queue over 1048576 bytes");
        });
    }

    private static ThrowingConsumer<Throwable> peerOffline() {
        return e -> assertThat(e).isInstanceOfSatisfying(AgentException.class,
                agentException -> assertThat(agentException.code()).isEqualTo(ErrorCode.PEER_OFFLINE));
    }
}
