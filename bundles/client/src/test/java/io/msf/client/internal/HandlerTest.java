package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.codec.AgentCodec;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Requests and notifications in: the handler's answers and failures as the requester sees them. */
class HandlerTest extends ClientTestBase {

    private final ConnectedClient caller = connect(options().name("caller"));

    /**
     * Command 1 echoes "re:" + payload; 2 fails with NO_HANDLER; 3 throws; 4 answers null; 5 fails
     * with UNAUTHORIZED, a code about a connection.
     */
    private final MessageHandler service = message -> switch (message.command()) {
        case 1 -> CompletableFuture.completedFuture(text("re:" + FakeAgent.text(message.payload())));
        case 2 -> CompletableFuture.failedFuture(new AgentException(ErrorCode.NO_HANDLER, "unknown command 2"));
        case 3 -> throw new IllegalStateException("boom");
        case 4 -> null;
        case 5 -> throw new AgentException(ErrorCode.UNAUTHORIZED, "token expired");
        default -> throw new UnsupportedOperationException("command " + message.command());
    };

    @Test
    void aRequestIsAnsweredWithTheHandlersPayload() {
        ConnectedClient server = connect(options().name("svc").handler(service));

        assertThat(textOf(caller.request(Address.name("svc"), 1, text("x"), SECONDS_5))).isEqualTo("re:x");
        assertThat(textOf(caller.request(Address.id(server.id()), 1, text("by id"), SECONDS_5))).isEqualTo("re:by id");
        assertThat(textOf(caller.request(Address.name("svc"), 4, text("nothing"), SECONDS_5))).isEmpty();
    }

    @Test
    void anAgentExceptionsCodePassesThrough() {
        connect(options().name("svc").handler(service));

        AgentException error = catchThrowableOfType(AgentException.class,
                () -> caller.request(Address.name("svc"), 2, text("x"), SECONDS_5));

        assertThat(error.code()).isEqualTo(ErrorCode.NO_HANDLER);
        assertThat(error).hasMessage("NO_HANDLER: request to svc, command 2: unknown command 2");
    }

    /**
     * As the agent answers for an in-container handler: UNAUTHORIZED would tell the requester that
     * its own connection is at fault.
     */
    @Test
    void aCodeAboutAConnectionIsARemoteErrorWithTheCodeInItsText() {
        connect(options().name("svc").handler(service));

        AgentException error = catchThrowableOfType(AgentException.class,
                () -> caller.request(Address.name("svc"), 5, text("x"), SECONDS_5));

        assertThat(error.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
        assertThat(error).hasMessage("REMOTE_ERROR: request to svc, command 5: UNAUTHORIZED: token expired");
    }

    @Test
    void anyOtherFailureIsARemoteErrorWithItsClassAndMessage() {
        connect(options().name("svc").handler(service));

        AgentException error = catchThrowableOfType(AgentException.class,
                () -> caller.request(Address.name("svc"), 3, text("x"), SECONDS_5));

        assertThat(error.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
        assertThat(error).hasMessageContaining("java.lang.IllegalStateException: boom");
    }

    @Test
    void aReplyTooLargeForTheAgentFailsTheRequestAndIsReportedToTheHandlersSide() {
        agent.maxFrameBytes = 2048;
        Queue<AgentException> serverErrors = new ConcurrentLinkedQueue<>();
        connect(options().name("svc").onError(serverErrors::add)
                .handler(message -> CompletableFuture.completedFuture(text("x".repeat(4096)))));

        AgentException error = catchThrowableOfType(AgentException.class,
                () -> caller.request(Address.name("svc"), 6, text("big"), SECONDS_5));

        assertThat(error.code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(error).hasMessageContaining("the reply of msf client 'svc' to command 6")
                .hasMessageContaining("over the peer's limit of 2048 bytes").hasMessageNotContaining("Exception");
        await().untilAsserted(() -> assertThat(serverErrors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
            assertThat(e).hasMessageContaining("the reply of msf client 'svc' to command 6 from #"
                    + Integer.toUnsignedString(caller.id())).hasMessageContaining("2048 bytes");
        }));
        // the connection stays: the next request gets its answer, the same ERROR
        assertThat(catchThrowableOfType(AgentException.class,
                () -> caller.request(Address.name("svc"), 6, text("again"), SECONDS_5)).code())
                .isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void aClientWithoutAHandlerAnswersNoHandler() {
        connect(options().name("mute"));

        AgentException error = catchThrowableOfType(AgentException.class,
                () -> caller.request(Address.name("mute"), 1, text("x"), SECONDS_5));

        assertThat(error.code()).isEqualTo(ErrorCode.NO_HANDLER);
        assertThat(error).hasMessageContaining("msf client 'mute' has no handler");
    }

    @Test
    void aHandlerMayAnswerLaterFromAnotherThread() throws Exception {
        ExecutorService later = Executors.newSingleThreadExecutor();
        try {
            connect(options().name("svc").handler(message -> {
                String question = FakeAgent.text(message.payload()); // the message is released on return
                return CompletableFuture.supplyAsync(() -> text("later:" + question), later);
            }));

            assertThat(textOf(caller.request(Address.name("svc"), 1, text("q"), SECONDS_5))).isEqualTo("later:q");
        } finally {
            later.shutdown();
        }
    }

    @Test
    void aHandlerMayMakeASyncRequestItself() {
        ConnectedClient[] self = new ConnectedClient[1];
        self[0] = connect(options().name("svc").handler(message -> CompletableFuture.completedFuture(
                text("via " + textOf(self[0].request(Address.name(FakeAgent.ECHO), 1, text("inner"), SECONDS_5))))));

        assertThat(textOf(caller.request(Address.name("svc"), 1, text("outer"), SECONDS_5))).isEqualTo("via inner");
    }

    @Test
    void notificationsReachTheHandler() {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        connect(options().name("svc").handler(message -> {
            seen.add(message.type() + " " + message.command() + " " + FakeAgent.text(message.payload()));
            return null;
        }));

        assertThat(caller.notify(Address.name("svc"), 9, text("ping")).toCompletableFuture()).succeedsWithin(SECONDS_5);

        await().untilAsserted(() -> assertThat(seen).containsExactly(MessageType.NOTIFY + " 9 ping"));
    }

    @Test
    void tooManyWaitingRequestsAreAnsweredOverloaded() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        connect(options().name("svc").maxQueuedMessages(2).handler(message -> {
            release.await();
            return null;
        }));

        List<CompletableFuture<Message>> answers = List.of(
                caller.requestAsync(Address.name("svc"), 1, text("1"), SECONDS_5).toCompletableFuture(),
                caller.requestAsync(Address.name("svc"), 1, text("2"), SECONDS_5).toCompletableFuture(),
                caller.requestAsync(Address.name("svc"), 1, text("3"), SECONDS_5).toCompletableFuture());
        assertThat(answers.get(2)).failsWithin(SECONDS_5).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED));
        release.countDown();

        assertThat(textOf(answers.get(0).get(5, TimeUnit.SECONDS))).isEmpty();
        assertThat(textOf(answers.get(1).get(5, TimeUnit.SECONDS))).isEmpty();
        await().untilAsserted(() -> assertThat(errors).singleElement()
                .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED)));
    }

    @Test
    void aHandlerCanRunOnTheApplicationsPool() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch both = new CountDownLatch(2);
            connect(options().name("svc").executor(pool).handler(message -> {
                both.countDown();
                // Two requests in parallel: each waits until both run, which one thread could not do.
                return both.await(5, TimeUnit.SECONDS) ? null : CompletableFuture.<ByteBuf>failedFuture(
                        new IllegalStateException("not run in parallel"));
            }));

            CompletionStage<Message> first = caller.requestAsync(Address.name("svc"), 1, text("a"), SECONDS_5);
            CompletionStage<Message> second = caller.requestAsync(Address.name("svc"), 1, text("b"), SECONDS_5);

            assertThat(textOf(first.toCompletableFuture().get(5, TimeUnit.SECONDS))).isEmpty();
            assertThat(textOf(second.toCompletableFuture().get(5, TimeUnit.SECONDS))).isEmpty();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aHandlerThatDoesNotBlockCanRunOnTheIoThread() {
        Queue<String> threads = new ConcurrentLinkedQueue<>();
        connect(options().name("svc").handlerOnIoThread(true).handler(message -> {
            threads.add(Thread.currentThread().getName());
            return service.handle(message);
        }));

        assertThat(textOf(caller.request(Address.name("svc"), 1, text("x"), SECONDS_5))).isEqualTo("re:x");
        assertThat(caller.notify(Address.name("svc"), 4, text("n")).toCompletableFuture()).succeedsWithin(SECONDS_5);

        await().untilAsserted(() -> assertThat(threads).hasSize(2)
                .allSatisfy(name -> assertThat(name).startsWith("msf-client-").endsWith("-svc-io")));
    }

    /**
     * Writes are flushed once per read batch or burst: a pipelined burst, its length no multiple
     * of the flush bound, must come back whole (the last reply too), and so must a lone request after it.
     */
    @Test
    void aPipelinedBurstAndALoneRequestAfterItAreAllAnswered() throws Exception {
        connect(options().name("svc").handlerOnIoThread(true).handler(service));
        int burst = 2 * AgentCodec.EXPLICIT_FLUSH_AFTER_FLUSHES + 5;

        List<CompletableFuture<Message>> answers = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            answers.add(caller.requestAsync(Address.name("svc"), 1, text("n" + i), SECONDS_5).toCompletableFuture());
        }
        for (int i = 0; i < burst; i++) {
            assertThat(textOf(answers.get(i).get(5, TimeUnit.SECONDS))).isEqualTo("re:n" + i);
        }
        assertThat(textOf(caller.request(Address.name("svc"), 1, text("alone"), SECONDS_5))).isEqualTo("re:alone");
    }
}
