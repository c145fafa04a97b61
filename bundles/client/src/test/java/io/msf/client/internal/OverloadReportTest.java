package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The report of an overload reaches the application as soon as its callback thread is free, not
 * after the messages that wait for it: those are what a slow handler or listener piles up, and the
 * report would come when the overload is over.
 */
class OverloadReportTest extends ClientTestBase {

    private final ConnectedClient caller = connect(options().name("caller"));

    @Test
    void theReportOfAnOverloadGoesAheadOfTheMessagesWaiting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        connect(options().name("svc").maxQueuedMessages(3).onError(e -> seen.add("onError " + e.code()))
                .handler(message -> {
                    release.await();
                    seen.add("handled " + FakeAgent.text(message.payload()));
                    return null;
                }));

        List<CompletableFuture<Message>> answers = List.of(request("1"), request("2"), request("3"));
        CompletableFuture<Message> refused = request("4");
        assertThat(refused).failsWithin(SECONDS_5).withThrowableThat().havingRootCause().isInstanceOfSatisfying(
                AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED));
        release.countDown();

        for (CompletableFuture<Message> answer : answers) {
            textOf(answer.get(5, TimeUnit.SECONDS));
        }
        await().untilAsserted(() -> assertThat(seen).hasSize(4));
        // the first was running when the overload came: it could not be interrupted
        assertThat(seen).containsExactly("handled 1", "onError OVERLOADED", "handled 2", "handled 3");
    }

    /**
     * A state change keeps its place among the received messages: one lost connection's messages still
     * waiting must not come after RECONNECTING, or after the CONNECTED of the next connection, where an
     * application that starts afresh on CONNECTED (subscribes, reads a snapshot) would take them for new.
     */
    @Test
    void aStateChangeComesAfterTheMessagesReceivedBeforeIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        ConnectedClient svc = connect(options().name("svc").maxQueuedMessages(3).onError(e -> { })
                .handler(message -> {
                    release.await();
                    seen.add("handled " + FakeAgent.text(message.payload()));
                    return null;
                }));
        svc.onStateChange(state -> seen.add(state.toString()));

        List<CompletableFuture<Message>> answers = List.of(request("1"), request("2"), request("3"));
        // the fourth refused: the three are in (the first running, two waiting)
        assertThat(request("4")).failsWithin(SECONDS_5);
        agent.dropConnections();
        // both connected again (a hello each, twice): the svc's RECONNECTING and CONNECTED are told
        await().until(() -> agent.hellos.size() == 4 && svc.state() == ConnectionState.CONNECTED);
        release.countDown();

        await().untilAsserted(() -> assertThat(seen).contains("handled 3", "CONNECTED"));
        assertThat(seen).containsExactly("handled 1", "handled 2", "handled 3", "RECONNECTING", "CONNECTED");
        answers.forEach(answer -> answer.handle((message, failure) -> message != null && message.release()));
    }

    private CompletableFuture<Message> request(String text) {
        return caller.requestAsync(Address.name("svc"), 1, text(text), SECONDS_5).toCompletableFuture();
    }
}
