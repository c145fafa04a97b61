package io.msf.agent.internal.broker;

import static io.msf.agent.internal.broker.TextMessages.echo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Holding and releasing a bundle's handlers, as the deployer's hot swap does. */
class RouteControlTest {

    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);
    private static final long OLD_BUNDLE = 40;
    private static final long NEW_BUNDLE = 41;

    private AgentServer agent;
    private Broker broker;
    private LocalClient client;

    @BeforeEach
    void start() throws Exception {
        agent = new AgentServer(AgentServer.quiet());
        broker = agent.broker;
        client = broker.openClient("bundle test.caller 1.0.0", UnpooledByteBufAllocator.DEFAULT);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        agent.close();
    }

    private String ask(String text) {
        Message reply = client.request(Address.name("dlna"), 1, Unpooled.copiedBuffer(text, UTF_8), FIVE_SECONDS);
        try {
            return reply.payload().toString(UTF_8);
        } finally {
            reply.release();
        }
    }

    private HandlerPeer add(MessageHandler handler, long serviceId, long bundleId) {
        return broker.addHandler(handler, new HandlerProperties(1001, "dlna", 0, serviceId, bundleId),
                "bundle dlna " + bundleId);
    }

    @Test
    void aHeldVersionGetsNothingUntilReleasedThenItGetsEveryNewRequest() {
        add(echo("old:"), 10, OLD_BUNDLE);
        broker.holdRoutes(NEW_BUNDLE); // before its handler registers, as the deployer does before start
        add(echo("new:"), 11, NEW_BUNDLE);
        assertThat(ask("a")).isEqualTo("old:a");

        broker.releaseRoutes(NEW_BUNDLE);
        // released: preferred over the old version despite its higher service id
        assertThat(ask("b")).isEqualTo("new:b");
        assertThat(client.request(Address.id(1001), 1, Unpooled.EMPTY_BUFFER, FIVE_SECONDS).release()).isTrue();
    }

    @Test
    void theOldVersionFinishesWhatItHasAndItsInFlightCountDrainsToZero() {
        CompletableFuture<ByteBuf> slow = new CompletableFuture<>();
        add(message -> slow, 10, OLD_BUNDLE);
        CompletionStage<Message> pending = client.requestAsync(Address.name("dlna"), 1, Unpooled.EMPTY_BUFFER,
                FIVE_SECONDS);
        assertThat(broker.inFlight(OLD_BUNDLE)).isEqualTo(1);

        broker.holdRoutes(NEW_BUNDLE);
        add(echo("new:"), 11, NEW_BUNDLE);
        broker.releaseRoutes(NEW_BUNDLE);
        assertThat(ask("c")).isEqualTo("new:c");
        assertThat(broker.inFlight(NEW_BUNDLE)).isZero();
        assertThat(broker.inFlight(OLD_BUNDLE)).isEqualTo(1);

        slow.complete(Unpooled.copiedBuffer("old answer", UTF_8));
        Message reply = pending.toCompletableFuture().join();
        assertThat(reply.payload().toString(UTF_8)).isEqualTo("old answer");
        reply.release();
        assertThat(broker.inFlight(OLD_BUNDLE)).isZero();
    }

    @Test
    void aHeldHandlerAloneIsNotReachable() {
        broker.holdRoutes(NEW_BUNDLE);
        add(echo("new:"), 11, NEW_BUNDLE);
        assertThatThrownBy(() -> ask("d")).isInstanceOf(AgentException.class).hasMessageContaining("PEER_OFFLINE");
        broker.releaseRoutes(NEW_BUNDLE);
        assertThat(ask("e")).isEqualTo("new:e");
    }

    @Test
    void aForgottenBundleLosesItsPreference() {
        HandlerPeer first = add(echo("first:"), 10, OLD_BUNDLE);
        add(echo("second:"), 11, NEW_BUNDLE);
        broker.releaseRoutes(NEW_BUNDLE);
        assertThat(ask("f")).isEqualTo("second:f");
        broker.forgetRoutes(NEW_BUNDLE);
        assertThat(ask("g")).isEqualTo("first:g");
        broker.removeHandler(first);
        assertThat(ask("h")).isEqualTo("second:h");
    }

    @Test
    void aHigherRankingStillWinsOverARelease() {
        broker.addHandler(echo("ranked:"), new HandlerProperties(1001, "dlna", 5, 10, OLD_BUNDLE), "bundle ranked");
        add(echo("released:"), 11, NEW_BUNDLE);
        broker.releaseRoutes(NEW_BUNDLE);
        assertThat(ask("i")).isEqualTo("ranked:i");
    }
}
