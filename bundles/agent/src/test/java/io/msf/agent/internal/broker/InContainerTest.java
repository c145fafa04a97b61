package io.msf.agent.internal.broker;

import static io.msf.agent.internal.broker.TextMessages.echo;
import static io.msf.agent.internal.broker.TextMessages.text;
import static io.msf.agent.internal.broker.TextMessages.textOf;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.PeerKind;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Handlers and bundles' clients inside the container, and their traffic with connections. */
class InContainerTest {

    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();
    private Broker broker;
    private LocalClient client;

    @BeforeEach
    void start() throws Exception {
        broker = agent.broker;
        client = agent.caller();
    }

    private static HandlerProperties props(int id, String name, int ranking, long serviceId) {
        return new HandlerProperties(id, name, ranking, serviceId);
    }

    @Test
    void aRequestToAnInContainerHandlerIsADirectCallOnTheCallersThread() {
        Thread caller = Thread.currentThread();
        List<Thread> handledOn = new CopyOnWriteArrayList<>();
        List<Integer> sources = new CopyOnWriteArrayList<>();
        broker.addHandler(message -> {
            handledOn.add(Thread.currentThread());
            sources.add(message.source());
            return CompletableFuture.completedFuture(text("pong"));
        }, props(1001, "dlna", 0, 1), "bundle dlna");

        Message reply = client.request(Address.name("dlna"), 7, text("ping"), FIVE_SECONDS);

        assertThat(reply.type()).isEqualTo(MessageType.REPLY);
        assertThat(reply.source()).isEqualTo(1001);
        assertThat(reply.destination()).isEqualTo(client.id());
        assertThat(reply.command()).isEqualTo(7);
        assertThat(textOf(reply)).isEqualTo("pong");
        assertThat(handledOn).containsExactly(caller);
        assertThat(sources).containsExactly(client.id());
        // No socket, no timer: nothing was scheduled for the call.
        assertThat(agent.timers.waiting()).isZero();
    }

    @Test
    void handlerFailuresBecomeTheRequestersErrors() {
        broker.addHandler(message -> {
            if (message.command() == 1) {
                throw new AgentException(ErrorCode.NO_HANDLER, "unknown command 1");
            }
            throw new IllegalStateException("disk full");
        }, props(0, "failing", 0, 1), "bundle failing");

        assertThatThrownBy(() -> client.request(Address.name("failing"), 1, text("x"), FIVE_SECONDS))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_HANDLER))
                .hasMessageContaining("unknown command 1");
        assertThatThrownBy(() -> client.request(Address.name("failing"), 2, text("x"), FIVE_SECONDS))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR))
                .hasMessageContaining("java.lang.IllegalStateException: disk full");
    }

    @Test
    void anUnknownDestinationIsPeerOffline() {
        assertThatThrownBy(() -> client.request(Address.id(4711), 1, text("x"), FIVE_SECONDS))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE));
        assertThat(client.notify(Address.name("ghost"), 1, text("x")).toCompletableFuture())
                .isCompletedExceptionally();
    }

    @Test
    void anAsyncRequestCompletesWhenTheHandlersStageDoesOrTimesOut() throws Exception {
        CompletableFuture<ByteBuf> pending = new CompletableFuture<>();
        HandlerPeer slow = broker.addHandler(message -> message.command() == 1 ? pending : new CompletableFuture<>(),
                props(1002, "slow", 0, 1), "bundle slow");

        CompletableFuture<Message> reply = client.requestAsync(Address.id(1002), 1, text("x"), FIVE_SECONDS)
                .toCompletableFuture();
        assertThat(reply).isNotDone();
        assertThat(slow.inFlight()).isEqualTo(1);
        pending.complete(text("done"));
        assertThat(textOf(reply.get(5, TimeUnit.SECONDS))).isEqualTo("done");
        assertThat(slow.inFlight()).isZero();

        CompletableFuture<Message> never = client.requestAsync(Address.id(1002), 2, text("x"),
                Duration.ofMillis(30)).toCompletableFuture();
        assertThatThrownBy(() -> never.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AgentException.class)
                .hasMessageContaining("TIMEOUT");
    }

    @Test
    void aSyncRequestToASlowHandlerTimesOutAndTheLateAnswerIsCounted() {
        CompletableFuture<ByteBuf> pending = new CompletableFuture<>();
        broker.addHandler(message -> pending, props(1002, "slow", 0, 1), "bundle slow");

        assertThatThrownBy(() -> client.request(Address.id(1002), 1, text("x"), Duration.ofMillis(20)))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
        pending.complete(text("late"));
        assertThat(broker.totals().lateReplies()).isEqualTo(1);
    }

    /**
     * A handler runs on its requester's event loop. A synchronous request from there to that same
     * connection would wait out its whole timeout on the one thread that reads the answer (and every
     * other connection of that loop, PONGs included, with it): it is refused at once instead, as the
     * plain-Java client refuses one on its I/O thread, and nothing is sent.
     */
    @Test
    void aSyncRequestOnTheEventLoopOfTheConnectionThatWouldAnswerItIsRefusedAtOnce() throws Exception {
        broker.addHandler(message -> {
            Message reply = client.request(Address.name("caller"), 7, text("back"), Duration.ofMillis(300));
            return CompletableFuture.completedFuture(reply.payload().retain());
        }, props(1001, "relay", 0, 1), "bundle relay");
        TestPeer caller = agent.peer(5, "caller");

        long sequence = caller.request("relay", 1, "go", 5000);
        Frame answer = caller.next();

        assertThat(answer.type()).as("no request sent to the caller: %s", answer).isEqualTo(MessageType.ERROR);
        assertThat(answer.sequence()).isEqualTo(sequence);
        assertThat(answer.error()).isEqualTo(ErrorCode.REMOTE_ERROR);
        assertThat(answer.text()).startsWith("java.lang.IllegalStateException: ")
                .contains("'caller'", "event loop", "requestAsync");
        caller.assertNothingElse();
    }

    @Test
    void theHighestRankingHandlerGetsNewRequestsAndARankingChangeSwitchesAtOnce() {
        HandlerPeer v1 = broker.addHandler(echo("v1:"), props(1001, "dlna", 0, 10), "bundle dlna 1");
        HandlerPeer v2 = broker.addHandler(echo("v2:"), props(1001, "dlna", 0, 11), "bundle dlna 2");

        // Same ranking: the lower service id wins.
        assertThat(textOf(client.request(Address.name("dlna"), 1, text("a"), FIVE_SECONDS))).isEqualTo("v1:a");

        broker.rerank(v2, 5);
        assertThat(textOf(client.request(Address.name("dlna"), 1, text("b"), FIVE_SECONDS))).isEqualTo("v2:b");
        assertThat(textOf(client.request(Address.id(1001), 1, text("c"), FIVE_SECONDS))).isEqualTo("v2:c");

        broker.removeHandler(v2);
        assertThat(textOf(client.request(Address.id(1001), 1, text("d"), FIVE_SECONDS))).isEqualTo("v1:d");
        broker.removeHandler(v1);
        assertThatThrownBy(() -> client.request(Address.id(1001), 1, text("e"), FIVE_SECONDS))
                .isInstanceOf(AgentException.class).hasMessageContaining("PEER_OFFLINE");
    }

    @Test
    void aConnectionReachesAHandlerAndGetsItsAnswerOrError() throws Exception {
        broker.addHandler(message -> {
            if (message.command() == 2) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("bad volume"));
            }
            return CompletableFuture.completedFuture(text("volume 7"));
        }, props(1001, "dlna", 0, 1), "bundle dlna");
        TestPeer peer = agent.peer(5, "");

        long first = peer.request("dlna", 1, "get", 5000);
        Frame reply = peer.next();
        assertThat(reply.type()).isEqualTo(MessageType.REPLY);
        assertThat(reply.source()).isEqualTo(1001);
        assertThat(reply.sequence()).isEqualTo(first);
        assertThat(reply.text()).isEqualTo("volume 7");

        long second = peer.request(1001, 2, "set", 5000);
        Frame error = peer.next();
        assertThat(error.error()).isEqualTo(ErrorCode.REMOTE_ERROR);
        assertThat(error.sequence()).isEqualTo(second);
        assertThat(error.text()).isEqualTo("java.lang.IllegalArgumentException: bad volume");
        await().until(() -> agent.outstandingOf(5) == 0);
    }

    @Test
    void aHandlerAnsweringOnAnotherThreadHasItsReplySettledAndWrittenOnTheRequestersLoop() throws Exception {
        CompletableFuture<ByteBuf> answer = new CompletableFuture<>();
        CountDownLatch called = new CountDownLatch(1);
        broker.addHandler(message -> {
            called.countDown();
            return answer;
        }, props(1001, "slow", 0, 1), "bundle slow");
        TestPeer peer = agent.peer(5, "");

        long sequence = peer.request(1001, 1, "get", 5000);
        assertThat(called.await(5, TimeUnit.SECONDS)).isTrue();
        // Completed on this (test) thread: the requester's outstanding requests assert that only its
        // event loop touches them (tests run with assertions on), so settled here, no reply would come.
        answer.complete(text("later"));
        Frame reply = peer.next();
        assertThat(reply.sequence()).isEqualTo(sequence);
        assertThat(reply.text()).isEqualTo("later");
        assertThat(broker.totals().routed()).isEqualTo(1);
    }

    @Test
    void aClientReachesAConnectionAndItsRequestToAClientGetsNoHandler() throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");

        CompletableFuture<Message> reply = client.requestAsync(Address.name("upnp"), 3, text("status"),
                FIVE_SECONDS).toCompletableFuture();
        Frame request = upnp.next();
        assertThat(request.source()).isEqualTo(client.id());
        upnp.reply(request, "ok");
        assertThat(textOf(reply.get(5, TimeUnit.SECONDS))).isEqualTo("ok");

        upnp.request(client.id(), 1, "x", 5000);
        assertThat(upnp.next().error()).isEqualTo(ErrorCode.NO_HANDLER);
    }

    /**
     * An in-container sender is on no connection's event loop and reads nothing there: each of
     * its messages must still be flushed, the last of a burst and a lone one alike.
     */
    @Test
    void messagesFromInsideTheContainerToAConnectionAreAllFlushed() throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");
        int burst = 300;

        for (int i = 0; i < burst; i++) {
            client.notify(Address.id(42), 1, text("n" + i));
        }
        for (int i = 0; i < burst; i++) {
            assertThat(upnp.next().text()).isEqualTo("n" + i);
        }
        client.notify(Address.id(42), 2, text("alone"));
        assertThat(upnp.next().text()).isEqualTo("alone");
        upnp.assertNothingElse();
    }

    @Test
    void closingAClientFailsItsOutstandingRequestsAndReleasesItsId() throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");
        LocalClient other = broker.openClient("bundle test.other 1.0.0", UnpooledByteBufAllocator.DEFAULT);
        CompletableFuture<Message> reply = other.requestAsync(Address.id(42), 1, text("x"), FIVE_SECONDS)
                .toCompletableFuture();
        upnp.next();

        other.close();

        assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS)).hasMessageContaining("PEER_OFFLINE");
        assertThat(broker.peers()).extracting(PeerInfo::id).doesNotContain(other.id());
        assertThatThrownBy(() -> other.request(Address.id(42), 1, text("x"), FIVE_SECONDS))
                .hasMessageContaining("closed");
        await().until(() -> agent.timers.waiting() == 0);
    }

    /**
     * A bundle that stops with an async request to an in-container handler outstanding: the request
     * fails at the close, as one to a connection does, rather than completing later, up to its
     * timeout, into the callbacks of a bundle that is gone.
     */
    @Test
    void closingAClientFailsItsAsyncRequestsToHandlersToo() throws Exception {
        CompletableFuture<ByteBuf> slow = new CompletableFuture<>();
        broker.addHandler(message -> slow, props(1001, "dlna", 0, 1), "bundle dlna");
        LocalClient other = broker.openClient("bundle test.other 1.0.0", UnpooledByteBufAllocator.DEFAULT);
        CompletableFuture<Message> reply = other.requestAsync(Address.name("dlna"), 1, text("x"),
                Duration.ofMinutes(1)).toCompletableFuture();

        other.close();

        AgentException failure = failureOf(reply);
        assertThat(failure.code()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(failure.getMessage()).contains("was closed with the request outstanding");
        await().until(() -> agent.timers.waiting() == 0);
        // The handler's answer, coming after all, is released as a late one.
        ByteBuf late = text("late");
        slow.complete(late);
        assertThat(late.refCnt()).isZero();
    }

    /**
     * A client closed on another thread (its bundle stopping) just after a request of its own passed its
     * check, before the broker registered it: its departure found nothing to fail. The request neither goes
     * out under an id no longer the client's, nor waits out its timeout into the callbacks of a bundle that
     * is gone: it fails at once, as one outstanding at the close does.
     */
    @Test
    void aRequestRegisteredAfterItsClientClosedFailsAtOnceAndIsNotSent() throws Exception {
        TestPeer responder = agent.peer(42, "responder");
        LocalClient other = broker.openClient("bundle test.other 1.0.0", UnpooledByteBufAllocator.DEFAULT);
        ByteBuf payload = text("after the close");
        Message request = new Message(MessageType.REQUEST, 0, ErrorCode.OK, other.id(), 0, "responder", 1, 1, 60_000,
                payload);
        other.close();

        CompletableFuture<Message> reply = new CompletableFuture<>();
        broker.request(other, request, reply);

        AgentException failure = failureOf(reply);
        assertThat(failure).as("the request failed within 5 s").isNotNull();
        assertThat(failure.code()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(failure.getMessage()).contains("was closed with the request outstanding");
        assertThat(payload.refCnt()).isZero();
        responder.assertNothingElse();
        assertThat(agent.timers.waiting()).isZero();
        assertThat(broker.peers()).noneMatch(peer -> peer.id() == 42 && peer.inFlight() != 0);
    }

    /**
     * A request carries its timeout in 32 bits of milliseconds: a longer one is refused, as the socket
     * client refuses it, not shortened to 2^31 - 1 ms behind the caller's back.
     */
    @Test
    void aTimeoutLongerThanARequestCanCarryIsRefusedAndThePayloadReleased() {
        broker.addHandler(message -> CompletableFuture.completedFuture(text("pong")), props(1001, "dlna", 0, 1),
                "bundle dlna");
        ByteBuf payload = text("ping");

        assertThatThrownBy(() -> client.request(Address.name("dlna"), 7, payload, Duration.ofMillis(1L << 31)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout PT596H31M23.648S is outside 0..PT596H31M23.647S");
        assertThat(payload.refCnt()).isZero();
        Message reply = client.request(Address.name("dlna"), 7, text("ping"), Duration.ofMillis(Integer.MAX_VALUE));
        assertThat(textOf(reply)).isEqualTo("pong");
    }

    /**
     * A null argument is refused naming it, as the socket client does (AgentClient's contract); a null
     * pattern was an IllegalArgumentException, "the pattern is empty".
     */
    @Test
    void aNullArgumentIsRefusedNamingIt() {
        assertThatNullPointerException().isThrownBy(() -> client.subscribe(null, message -> { }))
                .withMessage("pattern");
        assertThatNullPointerException().isThrownBy(() -> client.subscribe("news", null)).withMessage("listener");
        assertThatNullPointerException().isThrownBy(() -> client.publish("news", 1, null)).withMessage("payload");
        ByteBuf payload = text("x");
        assertThatNullPointerException().isThrownBy(() -> client.publish(null, 1, payload)).withMessage("topic");
        assertThat(payload.refCnt()).isZero();
        ByteBuf another = text("x");
        assertThatNullPointerException().isThrownBy(() -> client.request(Address.name("dlna"), 1, another, null))
                .withMessage("timeout");
        assertThat(another.refCnt()).isZero();
        assertThatNullPointerException().isThrownBy(() -> client.notify(null, 1, text("x"))).withMessage("to");
    }

    @Test
    void aClosedClientPublishesNothingAndReleasesThePayload() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        List<Integer> sources = new CopyOnWriteArrayList<>();
        client.subscribe("news.>", m -> {
            heard.add(m.payload().toString(UTF_8));
            sources.add(m.source());
        });
        LocalClient other = broker.openClient("bundle test.other 1.0.0", UnpooledByteBufAllocator.DEFAULT);
        int otherId = other.id();
        other.close();
        ByteBuf late = text("after close");

        other.publish("news.late", 1, late);
        client.publish("news.marker", 1, text("marker"));

        // Listeners run one at a time in publication order: once the marker is heard, the late one would have been.
        await().atMost(FIVE_SECONDS).until(() -> heard.contains("marker"));
        assertThat(heard).containsExactly("marker");
        assertThat(sources).doesNotContain(otherId);
        assertThat(late.refCnt()).isZero();
    }

    @Test
    void notificationsReachHandlersAndAConnectionCannotClaimAHandlersNameOrId() throws Exception {
        List<String> notes = new CopyOnWriteArrayList<>();
        broker.addHandler(message -> {
            notes.add(message.type() + " " + message.payload().toString(UTF_8));
            return null;
        }, props(1001, "dlna", 0, 1), "bundle dlna");

        assertThat(client.notify(Address.name("dlna"), 1, text("hello")).toCompletableFuture()).isCompleted();
        assertThat(notes).containsExactly("NOTIFY hello");

        Frame byName = agent.connect().hello(0, "dlna", true, null, 1 << 20);
        assertThat(byName.error()).isEqualTo(ErrorCode.DUPLICATE_NAME);
        assertThat(byName.text()).contains("in-container handler");
        Frame byId = agent.connect().hello(1001, "", true, null, 1 << 20);
        assertThat(byId.error()).isEqualTo(ErrorCode.DUPLICATE_ID);
    }

    @Test
    void peersListsHandlersClientsAndConnectionsWithTheirCounters() throws Exception {
        broker.addHandler(echo("ok "), props(1001, "dlna", 0, 1), "bundle dlna");
        agent.peer(42, "upnp");
        client.request(Address.id(1001), 1, text("abc"), FIVE_SECONDS).release();

        Map<PeerKind, PeerInfo> byKind = new java.util.EnumMap<>(PeerKind.class);
        broker.peers().forEach(peer -> byKind.putIfAbsent(peer.kind(), peer));
        assertThat(byKind).containsOnlyKeys(PeerKind.HANDLER, PeerKind.BUNDLE, PeerKind.TCP);
        PeerInfo handler = byKind.get(PeerKind.HANDLER);
        assertThat(handler.name()).isEqualTo("dlna");
        assertThat(handler.messagesIn()).isEqualTo(1);
        assertThat(handler.messagesOut()).isEqualTo(1);
        assertThat(handler.bytesIn()).as("its reply, 'ok abc'").isEqualTo(6);
        assertThat(handler.bytesOut()).as("the request given to it, 'abc'").isEqualTo(3);
        assertThat(handler.inFlight()).isZero();
        assertThat(byKind.get(PeerKind.BUNDLE).origin()).isEqualTo("bundle test.caller 1.0.0");
        assertThat(byKind.get(PeerKind.TCP).origin()).startsWith("tcp 127.0.0.1:");
    }

    /**
     * A notification too large for its destination is told as a request is: the frame's size, the
     * peer and its limit, not only "over the limit of small".
     */
    @Test
    void aNotificationOverTheDestinationsLimitSaysHowLargeAndWhatTheLimitIs() throws Exception {
        TestPeer small = agent.connect();
        assertThat(small.hello(42, "small", false, null, 1024).type()).isEqualTo(MessageType.HELLO);

        AgentException request = catchThrowableOfType(AgentException.class,
                () -> client.request(Address.name("small"), 1, text("x".repeat(2000)), FIVE_SECONDS));
        CompletableFuture<Void> notification = client.notify(Address.name("small"), 1, text("x".repeat(2000)))
                .toCompletableFuture();

        assertThat(request.code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(request.detail()).matches("a frame of \\d+ bytes is over the limit of 'small' \\(#42\\): 1024 bytes");
        assertThat(notification).failsWithin(FIVE_SECONDS).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
                    assertThat(e.detail()).isEqualTo(request.detail());
                });
        small.assertNothingElse();
    }

    /** What {@code reply} failed with within 5 s, if an AgentException; null if it did not fail so. */
    private static AgentException failureOf(CompletableFuture<Message> reply) {
        return catchThrowableOfType(() -> {
            try {
                reply.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause();
            }
        }, AgentException.class);
    }
}
