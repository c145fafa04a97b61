package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.protocol.api.ErrorCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A handler or listener on the client's I/O thread that calls request() or subscribe() is told at
 * once: the answer it would wait for is read by the thread it blocks (as Netty's own await() refuses
 * on an event loop), and while it waited no PING was answered.
 */
class IoThreadBlockingTest extends ClientTestBase {

    @Test
    void aSyncRequestFromAHandlerOnTheIoThreadFailsAtOnceSayingWhy() {
        ConnectedClient[] self = new ConnectedClient[1];
        self[0] = connect(options().name("inline").handlerOnIoThread(true).handler(message -> CompletableFuture
                .completedFuture(self[0].request(Address.name(FakeAgent.ECHO), 1, text("inner"), Duration.ofSeconds(2))
                        .payload().retain())));
        ConnectedClient caller = connect(options().name("caller"));

        long start = System.nanoTime();
        AgentException e = catchThrowableOfType(AgentException.class,
                () -> caller.request(Address.name("inline"), 1, text("outer"), Duration.ofSeconds(20)));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
        assertThat(e.getMessage()).contains("IllegalStateException")
                .contains("request to echo, command 1: would block the client's I/O thread");
        assertThat(tookMillis).as("ms until the caller heard").isLessThan(2_000);
    }

    @Test
    void aSubscribeFromAListenerOnTheIoThreadFailsAtOnceSayingWhy() {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        ConnectedClient[] self = new ConnectedClient[1];
        self[0] = connect(options().name("inline-listener").listenersOnIoThread(true));
        self[0].subscribe("go", message -> {
            try {
                self[0].subscribe("more", more -> { });
                thrown.complete(null);
            } catch (RuntimeException e) {
                thrown.complete(e);
            }
        });

        self[0].publish("go", 1, text("subscribe more"));

        assertThat(thrown).succeedsWithin(SECONDS_5).isInstanceOfSatisfying(IllegalStateException.class, e ->
                assertThat(e).hasMessageContaining("subscription to 'more': would block the client's I/O thread"));
        assertThat(agent.subscribes).containsExactly("go");
    }
}
