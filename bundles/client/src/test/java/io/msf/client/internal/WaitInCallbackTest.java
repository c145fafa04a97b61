package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A callback of the client (here a subscription's listener) that waits for the stage of an async
 * call: the stage's completion is handed to the callback thread the callback holds, so the wait
 * takes the outcome over instead of waiting for itself; on the I/O thread it is refused at once.
 */
class WaitInCallbackTest extends ClientTestBase {

    private static final Address ECHO = Address.name(FakeAgent.ECHO);

    @Test
    void aListenerThatJoinsARequestsStageGetsTheReplyAndTheStagesActionsRunOnTheCallbackThread() {
        ConnectedClient client = connect(options().name("joiner"));
        CompletableFuture<String> actionRanOn = new CompletableFuture<>();

        String outcome = inListener(client, () -> {
            CompletionStage<Message> stage = client.requestAsync(ECHO, 1, text("joined"), SECONDS_5);
            stage.thenRun(() -> actionRanOn.complete(Thread.currentThread().getName()));
            return textOf(stage.toCompletableFuture().join());
        });

        assertThat(outcome).isEqualTo("joined");
        assertThat(actionRanOn).succeedsWithin(SECONDS_5).asString().endsWith("-joiner-callbacks");
    }

    @Test
    void aListenerThatWaitsForANotificationsStageSeesItSent() {
        ConnectedClient client = connect(options());

        String outcome = inListener(client, () -> {
            client.notify(ECHO, 1, text("sent")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            return "sent";
        });

        assertThat(outcome).isEqualTo("sent");
    }

    @Test
    void aListenerThatJoinsAStageMadeFromARequestsStageGetsItsResult() {
        ConnectedClient client = connect(options());

        String outcome = inListener(client, () -> client.requestAsync(ECHO, 1, text("made"), SECONDS_5)
                .thenApply(ClientTestBase::textOf).toCompletableFuture().get());

        assertThat(outcome).isEqualTo("made");
    }

    @Test
    void aFailedRequestJoinedInAListenerFailsWithTheAgentsError() {
        ConnectedClient client = connect(options());

        String outcome = inListener(client, () -> {
            try {
                textOf(client.requestAsync(Address.name(FakeAgent.SILENT), 1, text("x"), Duration.ofMillis(50))
                        .toCompletableFuture().join());
                return "answered";
            } catch (RuntimeException e) {
                return Failures.unwrap(e) instanceof AgentException agent ? agent.code().name() : e.toString();
            }
        });

        assertThat(outcome).isEqualTo(ErrorCode.TIMEOUT.name());
    }

    /**
     * The stage composed onto the first is completed by the second call's outcome, whose hand-over is
     * queued behind the waiting listener as the first's is: the wait takes that one over too.
     */
    @Test
    void aListenerThatJoinsARequestComposedOntoAnotherGetsTheSecondReply() {
        ConnectedClient client = connect(options());

        String outcome = inListener(client, () -> client.requestAsync(ECHO, 1, text("first"), SECONDS_5)
                .thenCompose(first -> client.requestAsync(ECHO, 1, text(textOf(first) + " then second"), SECONDS_5))
                .thenApply(ClientTestBase::textOf).toCompletableFuture().join());

        assertThat(outcome).isEqualTo("first then second");
    }

    @Test
    void aListenerThatWaitsForTwoRequestsCombinedGetsBothReplies() throws Exception {
        ConnectedClient client = connect(options());

        String outcome = inListener(client, () -> {
            CompletionStage<String> first = client.requestAsync(ECHO, 1, text("one"), SECONDS_5)
                    .thenApply(ClientTestBase::textOf);
            CompletionStage<String> second = client.requestAsync(ECHO, 1, text("two"), SECONDS_5)
                    .thenApply(ClientTestBase::textOf);
            return second.thenCombine(first, (b, a) -> a + " and " + b).toCompletableFuture().get(5, TimeUnit.SECONDS);
        });

        assertThat(outcome).isEqualTo("one and two");
    }

    /**
     * The echo answers in order, but a wait for the second request runs none of the first's actions inside the
     * waiting listener: they may be another component's, taking a lock the listener holds (a deadlock), or slow
     * (a timed wait's limit overshot). They run after the listener, on the callback thread, as without the wait.
     */
    @Test
    void aListenerThatJoinsOneRequestRunsNoActionOfAnotherInsideItsWait() {
        ConnectedClient client = connect(options());
        Queue<String> completed = new ConcurrentLinkedQueue<>();
        AtomicBoolean waiting = new AtomicBoolean();
        AtomicBoolean firstRanInsideTheWait = new AtomicBoolean();

        String outcome = inListener(client, () -> {
            CompletionStage<Message> first = client.requestAsync(ECHO, 1, text("first"), SECONDS_5);
            first.thenAccept(reply -> {
                firstRanInsideTheWait.set(waiting.get());
                completed.add(textOf(reply));
            });
            CompletionStage<String> second = client.requestAsync(ECHO, 1, text("second"), SECONDS_5)
                    .thenApply(ClientTestBase::textOf);
            second.thenAccept(completed::add);
            waiting.set(true);
            try {
                return second.toCompletableFuture().join();
            } finally {
                waiting.set(false);
            }
        });

        assertThat(outcome).isEqualTo("second");
        await().atMost(Duration.ofSeconds(5)).until(() -> completed.size() == 2);
        assertThat(completed).containsExactly("second", "first");
        assertThat(firstRanInsideTheWait).isFalse();
    }

    /** No outcome of the client's completes the wait there: the future's completion on another thread wakes it. */
    @Test
    void aListenerThatJoinsARequestComposedOntoAFutureOfItsOwnGetsItsResult() {
        ConnectedClient client = connect(options());
        CompletableFuture<String> mine = new CompletableFuture<>();

        String outcome = inListener(client, () -> client.requestAsync(ECHO, 1, text("first"), SECONDS_5)
                .thenCompose(first -> {
                    first.release();
                    // completed once the listener waits, most likely: by then no outcome of the client's is to come
                    CompletableFuture.runAsync(() -> mine.complete("completed elsewhere"),
                            CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
                    return mine;
                })
                .toCompletableFuture().join());

        assertThat(outcome).isEqualTo("completed elsewhere");
    }

    /** The wait for the second call, which nothing answers, ends at the caller's timeout, not at the call's. */
    @Test
    void aListenerThatWaitsWithATimeoutForAComposedRequestNobodyAnswersTimesOut() {
        ConnectedClient client = connect(options());

        String outcome = inListener(client, () -> {
            try {
                client.requestAsync(ECHO, 1, text("first"), SECONDS_5)
                        .thenCompose(first -> {
                            first.release();
                            return client.requestAsync(Address.name(FakeAgent.SILENT), 1, text("x"), Duration.ofMinutes(1));
                        })
                        .toCompletableFuture().get(100, TimeUnit.MILLISECONDS).release();
                return "answered";
            } catch (TimeoutException e) {
                return "timed out";
            }
        });

        assertThat(outcome).isEqualTo("timed out");
    }

    /** A single thread of the application's is held by the waiting listener as the client's own would be. */
    @Test
    void aListenerOnASingleThreadOfTheApplicationsThatJoinsARequestsStageGetsTheReply() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            ConnectedClient client = connect(options().executor(executor));

            String outcome = inListener(client, () -> textOf(client.requestAsync(ECHO, 1, text("own pool"), SECONDS_5)
                    .thenCompose(first -> client.requestAsync(ECHO, 1, text(textOf(first) + ", composed"), SECONDS_5))
                    .toCompletableFuture().join()));

            assertThat(outcome).isEqualTo("own pool, composed");
        } finally {
            executor.shutdownNow();
        }
    }

    /** There the wait would hold the thread that brings the reply: refused at once, not a hang. */
    @Test
    void aListenerOnTheIoThreadThatJoinsARequestsStageIsRefusedAtOnce() {
        ConnectedClient client = connect(options().listenersOnIoThread(true));
        CompletableFuture<Message> stage = new CompletableFuture<>();

        String outcome = inListener(client, () -> {
            CompletableFuture<Message> request = client.requestAsync(ECHO, 1, text("x"), SECONDS_5).toCompletableFuture();
            request.whenComplete((reply, failure) -> stage.complete(reply));
            try {
                request.join().release();
                return "answered";
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        });

        assertThat(outcome).startsWith("request to echo, command 1: waiting for its stage would block the client's I/O"
                + " thread");
        assertThat(stage).succeedsWithin(SECONDS_5).satisfies(Message::release);
    }

    /**
     * Runs {@code task} in a listener of a new subscription, triggered by a publication, and returns
     * what it returned (or the text of what it threw); fails if that takes more than 5 s.
     */
    private String inListener(ConnectedClient client, Callable<String> task) {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Consumer<Message> listener = message -> {
            try {
                outcome.complete(task.call());
            } catch (Exception | Error e) {
                outcome.complete("failed: " + e);
            }
        };
        client.subscribe("wait.in.callback", listener);
        client.publish("wait.in.callback", 1, text("go"));
        return outcome.orTimeout(5, TimeUnit.SECONDS).join();
    }
}
