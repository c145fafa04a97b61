package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An interrupted thread: its blocking call ends at once, it stays interrupted, and the client stays usable or closes whole. */
class InterruptTest extends ClientTestBase {

    private final ScheduledExecutorService interrupter = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void clearInterrupt() {
        interrupter.shutdownNow();
        Thread.interrupted(); // not to leak into the next test on this thread
    }

    @Test
    void anInterruptedRequestEndsAtOnceAndTheClientStaysUsable() {
        ConnectedClient client = connect(options().name("interrupted"));
        Thread caller = Thread.currentThread();
        interrupter.schedule(caller::interrupt, 200, TimeUnit.MILLISECONDS);

        AgentException e = catchThrowableOfType(AgentException.class,
                () -> client.request(Address.name(FakeAgent.BLACKHOLE), 1, text("x"), Duration.ofSeconds(30)));

        assertThat(e.getMessage()).contains("request to blackhole, command 1").contains("interrupted");
        assertThat(Thread.interrupted()).as("the caller still interrupted").isTrue();
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(textOf(client.request(Address.name(FakeAgent.ECHO), 1, text("still here"), SECONDS_5)))
                .isEqualTo("still here");
    }

    /** A subscribe whose thread is interrupted is not made: what the agent was sent is taken back. */
    @Test
    void anInterruptedSubscribeLeavesNoSubscription() {
        ConnectedClient client = connect(options().name("interrupted-subscriber"));

        Thread.currentThread().interrupt();
        AgentException e = catchThrowableOfType(AgentException.class, () -> client.subscribe("a.>", message -> { }));

        assertThat(Thread.interrupted()).as("the caller still interrupted").isTrue();
        assertThat(e.getMessage()).contains("subscription to 'a.>'").contains("interrupted");
        await().untilAsserted(() -> assertThat(agent.unsubscribes).containsExactly("a.>"));
        assertThat(agent.subscribes).containsExactly("a.>");
        assertThat(client.subscribe("b", message -> { }).pattern()).isEqualTo("b");
    }

    /**
     * An answer quicker than the caller's thread (a loaded machine) is there before the wait: an
     * interrupted caller fails all the same, and the answer it will not take is released.
     */
    @Test
    void anInterruptedCallerFailsAlsoWhenItsAnswerIsAlreadyThere() {
        Message reply = Message.publish("early", 1, 1, text("early")); // any frame with a payload
        CompletableFuture<Message> answer = CompletableFuture.completedFuture(reply);

        Thread.currentThread().interrupt();
        AgentException e = catchThrowableOfType(AgentException.class,
                () -> PendingCalls.await(answer, TimeUnit.SECONDS.toNanos(5), "request to early"));

        assertThat(Thread.interrupted()).as("the caller still interrupted").isTrue();
        assertThat(e.getMessage()).contains("request to early").contains("interrupted");
        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(reply.refCnt()).as("the answer released").isZero();
    }

    /** A try-with-resources block left by an interrupt closes the client on a thread that is still interrupted. */
    @Test
    void closeOnAnInterruptedThreadStillEndsTheClientsThreads() {
        ConnectedClient client = connect(options().name("closed-interrupted"));
        // the callback thread is started by the first callback
        assertThat(textOf(client.requestAsync(Address.name(FakeAgent.ECHO), 1, text("x"), SECONDS_5)
                .toCompletableFuture().join())).isEqualTo("x");

        Thread.currentThread().interrupt();
        client.close();

        assertThat(Thread.interrupted()).as("the interrupt kept for the caller").isTrue();
        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(threadsOf("-closed-interrupted-")).isEmpty());
    }

    private static List<String> threadsOf(String clientName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("msf-client-") && name.contains(clientName))
                .toList();
    }
}
