package io.msf.agent.internal.broker;

import static io.msf.agent.internal.broker.TextMessages.echo;
import static io.msf.agent.internal.broker.TextMessages.text;
import static io.msf.agent.internal.broker.TextMessages.textOf;
import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.msf.agent.api.PeerInfo;
import io.msf.client.api.AgentException;
import io.msf.client.api.Address;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A peer's in and out, as agent:stats and the monitor show them, are counted from the agent's side for
 * every kind of peer: in is what the peer gave the agent, out what the agent gave it. In-container
 * peers counted the other way round, so that a handler's IN were the requests it was given, and a
 * handler and a connection doing the same thing showed opposite figures.
 */
class PeerCountersTest {

    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();
    private Broker broker;
    private LocalClient client;
    private LocalClient listener;

    @BeforeEach
    void start() {
        broker = agent.broker;
        client = agent.caller();
        listener = broker.openClient("bundle test.listener 1.0.0", UnpooledByteBufAllocator.DEFAULT);
    }

    @AfterEach
    void stop() {
        listener.close();
    }

    @Test
    void aHandlersRepliesAreInAndTheRequestsAndNotificationsItIsGivenAreOut() {
        HandlerPeer handler = broker.addHandler(echo("ok "), new HandlerProperties(1001, "dlna", 0, 1), "bundle dlna");

        assertThat(textOf(client.request(Address.name("dlna"), 1, text("abc"), FIVE_SECONDS))).isEqualTo("ok abc");
        assertThat(client.notify(Address.name("dlna"), 2, text("hello")).toCompletableFuture()).isCompleted();

        PeerInfo counted = handler.info();
        assertThat(counted.messagesIn()).as("its reply").isEqualTo(1);
        assertThat(counted.bytesIn()).as("'ok abc'").isEqualTo(6);
        assertThat(counted.messagesOut()).as("the request and the notification").isEqualTo(2);
        assertThat(counted.bytesOut()).as("'abc' and 'hello'").isEqualTo(8);
    }

    @Test
    void aBundlesClientsRequestsAndPublicationsAreInAndItsRepliesAndPublicationsGivenToItAreOut()
            throws Exception {
        broker.addHandler(echo("ok "), new HandlerProperties(1001, "dlna", 0, 1), "bundle dlna");
        TestPeer upnp = agent.peer(42, "upnp");
        AtomicInteger heard = new AtomicInteger();
        listener.subscribe("feed", publication -> heard.incrementAndGet());

        assertThat(textOf(client.request(Address.name("dlna"), 1, text("abc"), FIVE_SECONDS))).isEqualTo("ok abc");
        CompletableFuture<Message> status = client.requestAsync(Address.name("upnp"), 3, text("status"),
                FIVE_SECONDS).toCompletableFuture();
        upnp.reply(upnp.next(), "fine");
        assertThat(textOf(status.get(5, TimeUnit.SECONDS))).isEqualTo("fine");
        client.publish("feed", 1, text("news"));

        PeerInfo caller = client.info();
        assertThat(caller.messagesIn()).as("two requests and a publication").isEqualTo(3);
        assertThat(caller.bytesIn()).as("'abc', 'status' and 'news'").isEqualTo(13);
        assertThat(caller.messagesOut()).as("the two replies").isEqualTo(2);
        assertThat(caller.bytesOut()).as("'ok abc' and 'fine'").isEqualTo(10);
        PeerInfo subscriber = listener.info();
        assertThat(subscriber.messagesIn()).isZero();
        assertThat(subscriber.messagesOut()).as("the publication given to its listener").isEqualTo(1);
        assertThat(subscriber.bytesOut()).as("'news'").isEqualTo(4);
    }

    @Test
    void aConnectionAndABundlesClientMakingTheSameRequestCountAlike() throws Exception {
        broker.addHandler(echo("ok "), new HandlerProperties(1001, "dlna", 0, 1), "bundle dlna");
        TestPeer upnp = agent.peer(42, "upnp");
        PeerInfo connectionBefore = info(42);

        upnp.request("dlna", 1, "abc", 5000);
        assertThat(upnp.next().text()).isEqualTo("ok abc");
        client.request(Address.name("dlna"), 1, text("abc"), FIVE_SECONDS).release();

        PeerInfo connection = info(42);
        assertThat(connection.messagesIn() - connectionBefore.messagesIn()).as("its request").isEqualTo(1);
        assertThat(connection.messagesOut() - connectionBefore.messagesOut()).as("its reply").isEqualTo(1);
        assertThat(client.info().messagesIn()).as("its request, as the connection's").isEqualTo(1);
        assertThat(client.info().messagesOut()).as("its reply, as the connection's").isEqualTo(1);
    }

    /**
     * A handler's reply is what it gave the agent, late or not, whoever called it: a connection's late
     * reply is a frame read, counted in. The late replies to a bundle's client were counted nowhere.
     */
    @Test
    void aHandlersLateReplyIsInWhoeverCalledIt() throws Exception {
        List<CompletableFuture<ByteBuf>> answers = new CopyOnWriteArrayList<>();
        HandlerPeer handler = broker.addHandler(message -> {
            CompletableFuture<ByteBuf> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }, new HandlerProperties(1001, "dlna", 0, 1), "bundle dlna");
        TestPeer upnp = agent.peer(42, "upnp");

        upnp.request("dlna", 1, "abc", 20);
        assertThat(upnp.next().error()).isEqualTo(ErrorCode.TIMEOUT);
        assertThatThrownBy(() -> client.request(Address.name("dlna"), 1, text("abc"), Duration.ofMillis(20)))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
        answers.forEach(answer -> answer.complete(text("late")));

        await().until(() -> broker.totals().lateReplies() == 2);
        assertThat(handler.info().messagesIn()).as("its two late replies").isEqualTo(2);
        assertThat(handler.info().bytesIn()).as("'late' twice").isEqualTo(8);
    }

    /**
     * A handler's failure is its answer, an ERROR frame to a connection that called it: in for the
     * handler whoever called it, one message without bytes. It counted only in its errors.
     */
    @Test
    void aHandlersFailureIsAnAnswerItGaveCountedInWhoeverCalledIt() throws Exception {
        HandlerPeer handler = broker.addHandler(message -> CompletableFuture.failedFuture(
                new IllegalStateException("broken")), new HandlerProperties(1001, "dlna", 0, 1), "bundle dlna");
        TestPeer upnp = agent.peer(42, "upnp");

        upnp.request("dlna", 1, "abc", 5000);
        assertThat(upnp.next().type()).isEqualTo(MessageType.ERROR);
        assertThatThrownBy(() -> client.request(Address.name("dlna"), 1, text("abc"), FIVE_SECONDS))
                .isInstanceOf(AgentException.class);
        CompletableFuture<Message> async = client.requestAsync(Address.name("dlna"), 1, text("abc"), FIVE_SECONDS)
                .toCompletableFuture();
        assertThat(async).isCompletedExceptionally();

        PeerInfo counted = handler.info();
        assertThat(counted.messagesIn()).as("its three failures").isEqualTo(3);
        assertThat(counted.bytesIn()).isZero();
        assertThat(counted.errors()).isEqualTo(3);
        assertThat(counted.messagesOut()).as("the three requests").isEqualTo(3);
    }

    /**
     * Every answer a bundle's client is given to its request is out, an error as a reply, the
     * responder's or the agent's, and so is the agent's error for a NOTIFY it could not route, as a
     * connection's ERROR frames are: only its replies were counted.
     */
    @Test
    void everyErrorAnswerABundlesClientIsGivenIsOutAsAConnectionsErrorFrameIs() throws Exception {
        CompletableFuture<ByteBuf> never = new CompletableFuture<>();
        broker.addHandler(message -> CompletableFuture.failedFuture(new IllegalStateException("broken")),
                new HandlerProperties(1001, "dlna", 0, 1), "bundle dlna");
        broker.addHandler(message -> never, new HandlerProperties(1002, "slow", 0, 1), "bundle slow");
        TestPeer upnp = agent.peer(42, "upnp");

        assertThatThrownBy(() -> client.request(Address.name("dlna"), 1, text("abc"), FIVE_SECONDS))
                .as("the handler's failure, called").isInstanceOf(AgentException.class);
        assertThat(client.requestAsync(Address.name("dlna"), 1, text("abc"), FIVE_SECONDS).toCompletableFuture())
                .as("the handler's failure, called without waiting").isCompletedExceptionally();
        CompletableFuture<Message> refused = client.requestAsync(Address.name("upnp"), 3, text("status"),
                FIVE_SECONDS).toCompletableFuture();
        Frame request = upnp.next();
        upnp.send(new Message(MessageType.ERROR, 0, ErrorCode.NO_HANDLER, 0, request.source(), "", request.command(),
                request.sequence(), 0, text("not here")));
        assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).as("the connection's ERROR")
                .hasCauseInstanceOf(AgentException.class);
        assertThatThrownBy(() -> client.request(Address.name("nobody"), 1, text("abc"), FIVE_SECONDS))
                .as("the agent's PEER_OFFLINE").isInstanceOf(AgentException.class);
        CompletableFuture<Message> slow = client.requestAsync(Address.name("slow"), 1, text("abc"),
                Duration.ofMillis(20)).toCompletableFuture();
        assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS)).as("the agent's TIMEOUT")
                .hasCauseInstanceOf(AgentException.class);
        never.complete(text("late"));
        assertThat(client.notify(Address.name("nobody"), 2, text("hello")).toCompletableFuture())
                .as("the agent's PEER_OFFLINE to a NOTIFY").isCompletedExceptionally();

        PeerInfo caller = client.info();
        assertThat(caller.messagesOut()).as("six errors; the late reply was not given").isEqualTo(6);
        assertThat(caller.bytesOut()).as("errors have no payload").isZero();
    }

    /**
     * An answer, a reply or an error, that comes for a request whose bundle client gave up on it (cancelled
     * its future) was not given: it is a late reply, neither routed nor out, as the answer to a connection
     * that has left is.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anAnswerToARequestItsClientCancelledIsLateNeitherRoutedNorOut(boolean error) throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");
        CompletableFuture<Message> status = client.requestAsync(Address.name("upnp"), 3, text("status"),
                FIVE_SECONDS).toCompletableFuture();
        Frame request = upnp.next();
        long routedBefore = broker.totals().routed();

        status.cancel(false);
        if (error) {
            upnp.send(new Message(MessageType.ERROR, 0, ErrorCode.NO_HANDLER, 0, request.source(), "",
                    request.command(), request.sequence(), 0, text("no such command")));
        } else {
            upnp.reply(request, "fine");
        }

        await().until(() -> broker.totals().lateReplies() == 1);
        assertThat(broker.totals().routed()).isEqualTo(routedBefore);
        assertThat(client.info().messagesOut()).isZero();
    }

    private PeerInfo info(int id) {
        return broker.peers().stream().filter(p -> p.id() == id).findFirst().orElseThrow();
    }
}
