package io.msf.agent.internal.broker;

import static io.msf.agent.internal.broker.TextMessages.echo;
import static io.msf.agent.internal.broker.TextMessages.text;
import static io.msf.agent.internal.broker.TextMessages.textOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.MessageType;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A bundle held from outside the container, as the container's stop holds its services first:
 * connections are refused as by a held bundle, while in-container peers still reach its handlers.
 */
class HoldFromOutsideTest {

    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);
    private static final long SERVICE_BUNDLE = 40;

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();
    private Broker broker;
    private LocalClient client;

    @BeforeEach
    void start() {
        broker = agent.broker;
        client = agent.caller();
    }

    private HandlerPeer add(MessageHandler handler, long serviceId, long bundleId) {
        return broker.addHandler(handler, new HandlerProperties(1001, "dlna", 0, serviceId, bundleId),
                "bundle dlna " + bundleId);
    }

    private String askInside(Address to, String text) {
        return textOf(client.request(to, 1, text(text), FIVE_SECONDS));
    }

    /** The connection's answer to a request for {@code to}: REPLY with its text, or ERROR with its code. */
    private static String askFrom(TestPeer peer, String to, String text) {
        long sequence = peer.request(to, 1, text, 5000);
        Frame answer = peer.next();
        assertThat(answer.sequence()).isEqualTo(sequence);
        return answer.type() == MessageType.REPLY ? answer.text() : answer.type() + " " + answer.error();
    }

    @Test
    void aConnectionIsRefusedWhileAnInContainerRequestGoesThroughUntilTheRelease() throws Exception {
        add(echo("dlna:"), 10, SERVICE_BUNDLE);
        TestPeer tcp = agent.peer(5, "tcp");
        TestPeer uds = agent.connect(agent.udsAddress()).register(6, "uds");
        assertThat(askFrom(tcp, "dlna", "a")).isEqualTo("dlna:a");

        broker.holdRoutesFromOutside(SERVICE_BUNDLE);
        assertThat(askFrom(tcp, "dlna", "b")).isEqualTo("ERROR " + ErrorCode.PEER_OFFLINE);
        assertThat(askFrom(uds, "dlna", "c")).isEqualTo("ERROR " + ErrorCode.PEER_OFFLINE);
        long byId = tcp.request(1001, 1, "d", 5000);
        assertThat(tcp.next()).matches(answer -> answer.sequence() == byId && answer.error() == ErrorCode.PEER_OFFLINE,
                "PEER_OFFLINE by id");
        assertThat(askInside(Address.name("dlna"), "e")).isEqualTo("dlna:e");
        assertThat(askInside(Address.id(1001), "f")).isEqualTo("dlna:f");
        assertThat(textOf(client.requestAsync(Address.name("dlna"), 1, text("g"), FIVE_SECONDS).toCompletableFuture()
                .join())).isEqualTo("dlna:g");

        broker.releaseRoutes(SERVICE_BUNDLE);
        assertThat(askFrom(tcp, "dlna", "h")).isEqualTo("dlna:h");
        assertThat(askFrom(uds, "dlna", "i")).isEqualTo("dlna:i");
    }

    /** A handler's call to another service, in the container, while a connection's request to that service is refused. */
    @Test
    void aHandlerAnsweringAConnectionStillCallsAServiceHeldFromOutside() throws Exception {
        add(echo("b:"), 10, SERVICE_BUNDLE);
        broker.addHandler(message -> client.requestAsync(Address.name("dlna"), 1, text("from a"), FIVE_SECONDS)
                .thenApply(reply -> text("a got " + textOf(reply))).toCompletableFuture(),
                new HandlerProperties(0, "frontend", 0, 11, 41), "bundle frontend 41");
        TestPeer tcp = agent.peer(5, "tcp");

        broker.holdRoutesFromOutside(SERVICE_BUNDLE);

        assertThat(askFrom(tcp, "frontend", "go")).isEqualTo("a got b:from a");
        assertThat(askFrom(tcp, "dlna", "go")).isEqualTo("ERROR " + ErrorCode.PEER_OFFLINE);
    }

    @Test
    void aHoldAfterwardsRefusesEveryoneAndAHoldFromOutsideDoesNotLoosenAHold() {
        add(echo("dlna:"), 10, SERVICE_BUNDLE);
        broker.holdRoutesFromOutside(SERVICE_BUNDLE);
        broker.holdRoutes(SERVICE_BUNDLE);
        assertThatThrownBy(() -> askInside(Address.name("dlna"), "a")).isInstanceOf(AgentException.class)
                .hasMessageContaining("PEER_OFFLINE");

        broker.holdRoutesFromOutside(SERVICE_BUNDLE);
        assertThatThrownBy(() -> askInside(Address.name("dlna"), "b")).isInstanceOf(AgentException.class)
                .hasMessageContaining("PEER_OFFLINE");

        broker.releaseRoutes(SERVICE_BUNDLE);
        assertThat(askInside(Address.name("dlna"), "c")).isEqualTo("dlna:c");
    }

    /**
     * A connection's request looked up before the hold and counted after it: refused and looked up again,
     * so that a drain reading 0 in flight after the hold is not followed by a request from outside.
     */
    @Test
    void aRequestFromOutsideLookedUpBeforeTheHoldIsNotCountedAfterIt() {
        HandlerPeer handler = add(echo("dlna:"), 10, SERVICE_BUNDLE);
        assertThat(broker.resolve("dlna", 0)).isSameAs(handler); // a connection's loop looks up, is descheduled

        broker.holdRoutesFromOutside(SERVICE_BUNDLE);

        assertThat(handler.admit("dlna", true)).isFalse();
        assertThat(handler.admit("", true)).isFalse();
        assertThat(broker.inFlight(SERVICE_BUNDLE)).isZero();
        assertThat(handler.admit("dlna", false)).isTrue(); // an in-container caller is counted
        assertThat(broker.inFlight(SERVICE_BUNDLE)).isEqualTo(1);
        handler.withdraw();
    }

    @Test
    void aBundleHeldFromOutsideIsForgottenWhenUninstalled() throws Exception {
        add(echo("old:"), 10, SERVICE_BUNDLE);
        broker.holdRoutesFromOutside(SERVICE_BUNDLE);
        broker.forgetRoutes(SERVICE_BUNDLE);
        TestPeer tcp = agent.peer(5, "tcp");
        assertThat(askFrom(tcp, "dlna", "a")).isEqualTo("old:a");
    }
}
