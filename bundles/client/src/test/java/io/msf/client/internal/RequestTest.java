package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Requests out and their answers: REPLY, the agent's ERRORs, the client's own guard. */
class RequestTest extends ClientTestBase {

    @Test
    void aSyncRequestGetsItsReply() {
        ConnectedClient client = connect(options());

        Message reply = client.request(Address.name(FakeAgent.ECHO), 7, text("hello"), SECONDS_5);

        assertThat(reply.type()).isEqualTo(MessageType.REPLY);
        assertThat(reply.command()).isEqualTo(7);
        assertThat(textOf(reply)).isEqualTo("hello");
    }

    /**
     * A process that claims a fixed id and its successor under that id (after a crash) must not
     * number their requests alike: the answer to the first one's request, still on its way, would
     * settle the successor's request of the same number. Each client starts its count at random.
     */
    @Test
    void twoClientsOneAfterTheOtherNumberTheirRequestsApart() {
        ConnectedClient first = connect(options());
        long firstSequence = sequenceOf(first.request(Address.name(FakeAgent.ECHO), 7, text("one"), SECONDS_5));
        first.close();
        ConnectedClient successor = connect(options());

        long successorSequence = sequenceOf(successor.request(Address.name(FakeAgent.ECHO), 7, text("two"),
                SECONDS_5));

        assertThat(successorSequence).isNotEqualTo(firstSequence).isNotZero();
        assertThat(firstSequence).isNotZero();
    }

    @Test
    void anAsyncRequestCompletesOffTheEventLoop() throws Exception {
        ConnectedClient client = connect(options().name("caller"));
        String reply = client.requestAsync(Address.name(FakeAgent.ECHO), 1, text("async"), SECONDS_5)
                .thenApply(RequestTest::textOf).toCompletableFuture().get();
        assertThat(reply).isEqualTo("async");

        // The answer comes 300 ms later, so the callback is in place before the stage completes and
        // runs on the thread that completes it. A callback added to a completed stage runs here, at
        // once: this thread held up 300 ms on a loaded machine asks again.
        String here = Thread.currentThread().getName();
        AtomicReference<String> thread = new AtomicReference<>();
        CompletableFuture<Message> late;
        CompletableFuture<Void> seen;
        int asked = 0;
        do {
            assertThat(asked++).as("requests that completed before their callback was added").isLessThan(10);
            thread.set(null);
            late = client.requestAsync(Address.name(FakeAgent.SILENT), 1, text("x"), Duration.ofMillis(300))
                    .toCompletableFuture();
            seen = late.handle((message, failure) -> {
                thread.set(Thread.currentThread().getName());
                return null;
            });
        } while (here.equals(thread.get()));
        seen.get(5, TimeUnit.SECONDS);
        assertThat(late).isCompletedExceptionally();
        assertThat(thread.get()).startsWith("msf-client-").endsWith("-caller-callbacks");
    }

    @Test
    void aRequestToNobodyFailsWithPeerOffline() {
        ConnectedClient client = connect(options());

        AgentException error = catchThrowableOfType(AgentException.class,
                () -> client.request(Address.name("nobody"), 3, text("x"), SECONDS_5));

        assertThat(error.code()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(error).hasMessageContaining("request to nobody, command 3").hasMessageContaining("no peer nobody");
        assertThat(client.requestAsync(Address.id(99), 3, text("x"), SECONDS_5).toCompletableFuture())
                .failsWithin(SECONDS_5).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE));
    }

    /** Commands are the protocol's u32: one with the top bit set is told as the number the user gave. */
    @Test
    void aCommandAboveTwoToTheThirtyFirstIsToldUnsigned() {
        ConnectedClient client = connect(options());

        AgentException error = catchThrowableOfType(AgentException.class,
                () -> client.request(Address.name("nobody"), (int) 3_000_000_000L, text("x"), SECONDS_5));

        assertThat(error).hasMessageContaining("request to nobody, command 3000000000:");
    }

    @Test
    void theAgentsTimeoutArrivesAsTimeout() {
        ConnectedClient client = connect(options());

        AgentException error = catchThrowableOfType(AgentException.class,
                () -> client.request(Address.name(FakeAgent.SILENT), 3, text("x"), Duration.ofMillis(50)));

        assertThat(error.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(error).hasMessageContaining("no reply within 50 ms");
    }

    @Test
    void theClientsGuardEndsARequestTheAgentLost() {
        ConnectedClient client = connect(options());

        AgentException sync = catchThrowableOfType(AgentException.class,
                () -> client.request(Address.name(FakeAgent.BLACKHOLE), 3, text("x"), Duration.ofMillis(20)));
        CompletableFuture<Message> async = client.requestAsync(Address.name(FakeAgent.BLACKHOLE), 3, text("y"),
                Duration.ofMillis(20)).toCompletableFuture();

        assertThat(sync.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(sync).hasMessageContaining("no answer within 1020 ms");
        assertThat(async).failsWithin(SECONDS_5).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    }

    /**
     * The client's guard runs from the moment it queues a request, the agent's timeout from the moment
     * it reads it: after a backlog on the way, the agent's TIMEOUT comes after the guard ended the call.
     * It answers that call, which has failed already: it is no error of no call for onError (a burst of
     * 65,536 such requests on a loaded machine made 48,499 onError reports).
     */
    @Test
    void theAgentsAnswerToACallItsGuardEndedIsDroppedNotReportedToOnError() {
        agent.silentLateByMillis = 1_500;
        ConnectedClient client = connect(options());

        AgentException timeout = catchThrowableOfType(AgentException.class,
                () -> client.request(Address.name(FakeAgent.SILENT), 1, text("x"), Duration.ofMillis(50)));
        assertThat(timeout.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(timeout).hasMessageContaining("no answer within 1050 ms");

        // The agent's late TIMEOUT reaches the client before its answer to a notification sent after it,
        // and onError hears in order: the PEER_OFFLINE comes after anything about the TIMEOUT.
        await().until(() -> agent.silentTimeouts.get() == 1);
        client.notify(Address.name("nobody"), 2, text("y"));
        await().untilAsserted(() -> assertThat(errors).anySatisfy(
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE)));
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE));
    }

    @Test
    void aRequestOverTheAgentsFrameLimitFailsLocallyAndTheConnectionStays() {
        agent.maxFrameBytes = 2048;
        ConnectedClient client = connect(options());

        AgentException error = catchThrowableOfType(AgentException.class, () -> client.request(
                Address.name(FakeAgent.ECHO), 1, Unpooled.wrappedBuffer(new byte[4096]), SECONDS_5));

        assertThat(error.code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(error).hasMessageContaining("over the peer's limit of 2048 bytes");
        assertThat(textOf(client.request(Address.name(FakeAgent.ECHO), 1, text("still here"), SECONDS_5)))
                .isEqualTo("still here");
    }

    @Test
    void badArgumentsAreRefusedAndThePayloadIsReleasedAnyway() {
        ConnectedClient client = connect(options());
        var payload = text("x");

        assertThat(catchThrowableOfType(IllegalArgumentException.class, () ->
                client.request(Address.name(FakeAgent.ECHO), 1, payload, Duration.ofMillis(-1))))
                .hasMessageContaining("outside");
        assertThat(payload.refCnt()).isZero();
    }

    /**
     * A null argument is named; a null timeout was an IllegalArgumentException ("timeout null is
     * outside ..."), where the container's client throws NullPointerException("timeout").
     */
    @Test
    void aNullArgumentIsRefusedNamingIt() {
        ConnectedClient client = connect(options());
        ByteBuf payload = text("x");
        assertThatNullPointerException().isThrownBy(() -> client.request(Address.name(FakeAgent.ECHO), 1, payload,
                null)).withMessage("timeout");
        assertThat(payload.refCnt()).isZero();
        ByteBuf another = text("x");
        assertThatNullPointerException().isThrownBy(() -> client.requestAsync(null, 1, another, SECONDS_5))
                .withMessage("to");
        assertThat(another.refCnt()).isZero();
        assertThatNullPointerException().isThrownBy(() -> client.publish("news", 1, null)).withMessage("payload");
        assertThatNullPointerException().isThrownBy(() -> client.subscribe(null, message -> { }))
                .withMessage("pattern");
        assertThatNullPointerException().isThrownBy(() -> client.subscribe("news", null)).withMessage("listener");
    }

    /** {@code publish(topic, command, null)} while disconnected threw a NullPointerException without a message. */
    @Test
    void aNullPayloadIsNamedWhileDisconnectedToo() {
        ConnectedClient client = connect(options());
        agent.stop();
        await().until(() -> client.state() == ConnectionState.RECONNECTING);

        assertThatNullPointerException().isThrownBy(() -> client.publish("news", 1, null)).withMessage("payload");
        assertThatNullPointerException().isThrownBy(() -> client.notify(Address.name(FakeAgent.ECHO), 1, null))
                .withMessage("payload");
        ByteBuf payload = text("x");
        assertThatNullPointerException().isThrownBy(() -> client.publish(null, 1, payload)).withMessage("topic");
        assertThat(payload.refCnt()).isZero();
    }

    @Test
    void aNotificationToNobodyIsReportedToOnError() {
        ConnectedClient client = connect(options());

        assertThat(client.notify(Address.name("nobody"), 5, text("x")).toCompletableFuture())
                .succeedsWithin(SECONDS_5);

        await().untilAsserted(() -> assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE);
            assertThat(e).hasMessageContaining("no peer nobody").hasMessageContaining("command 5");
        }));
    }

    @Test
    void aFailedAsyncStageIsACompletionExceptionWithTheAgentException() {
        ConnectedClient client = connect(options());

        CompletableFuture<Message> stage = client.requestAsync(Address.name("nobody"), 1, text("x"), SECONDS_5)
                .toCompletableFuture();

        assertThat(catchThrowableOfType(CompletionException.class, stage::join))
                .cause().isInstanceOf(AgentException.class);
    }

    private static long sequenceOf(Message reply) {
        try {
            return reply.sequence();
        } finally {
            reply.release();
        }
    }
}
