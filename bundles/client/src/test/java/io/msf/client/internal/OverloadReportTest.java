package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
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

    private CompletableFuture<Message> request(String text) {
        return caller.requestAsync(Address.name("svc"), 1, text(text), SECONDS_5).toCompletableFuture();
    }
}
