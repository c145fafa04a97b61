package io.msf.agent.internal.broker;

import static io.msf.agent.internal.broker.TextMessages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.msf.agent.api.PeerInfo;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request's answer counts alike whoever made it, a connection or a bundle's client: the responder's
 * answer, a reply or its failure, is routed and timed; the agent's own error (a TIMEOUT, say) counts in
 * the requester's errors, and only when the requester was given it.
 */
class AnswerCountersTest {

    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(20);

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();
    private Broker broker;
    private LocalClient client;

    @BeforeEach
    void start() {
        broker = agent.broker;
        client = agent.caller();
    }

    /** It was routed when a connection called the handler, and not when a bundle's client did. */
    @Test
    void aHandlersFailureIsRoutedWhoeverCalledIt() throws Exception {
        broker.addHandler(message -> CompletableFuture.failedFuture(new IllegalStateException("broken")),
                new HandlerProperties(1001, "dlna", 0, 1), "bundle dlna");
        TestPeer upnp = agent.peer(42, "upnp");

        upnp.request("dlna", 1, "abc", 5000);
        assertThat(upnp.next().type()).isEqualTo(MessageType.ERROR);
        assertThatThrownBy(() -> client.request(Address.name("dlna"), 1, text("abc"), FIVE_SECONDS))
                .isInstanceOf(AgentException.class);
        assertThat(client.requestAsync(Address.name("dlna"), 1, text("abc"), FIVE_SECONDS).toCompletableFuture())
                .isCompletedExceptionally();

        assertThat(broker.totals().routed()).as("three answers, one to each request").isEqualTo(3);
    }

    /** Its failure took as long as a reply would have: a bundle's client timed only replies. */
    @Test
    void aHandlersFailureToABundlesClientIsInItsLatency() {
        HandlerPeer handler = broker.addHandler(message -> {
            sleep(5);
            throw new IllegalStateException("broken, slowly");
        }, new HandlerProperties(1001, "dlna", 0, 1), "bundle dlna");

        assertThatThrownBy(() -> client.request(Address.name("dlna"), 1, text("abc"), FIVE_SECONDS))
                .isInstanceOf(AgentException.class);

        assertThat(handler.info().latencyP99Micros()).as("at least the 5 ms it took").isGreaterThanOrEqualTo(5000);
    }

    /**
     * A failure after its caller stopped waiting is a late answer, untimed as a late reply is: it went
     * into the handler's latency.
     */
    @Test
    void aHandlersFailureAfterItsCallerStoppedWaitingIsNotInItsLatency() throws Exception {
        CompletableFuture<ByteBuf> answer = new CompletableFuture<>();
        HandlerPeer handler = broker.addHandler(message -> answer, new HandlerProperties(1001, "dlna", 0, 1),
                "bundle dlna");

        assertTimedOut(client.requestAsync(Address.name("dlna"), 1, text("abc"), SHORT).toCompletableFuture());
        sleep(50);
        answer.completeExceptionally(new IllegalStateException("broken, late"));

        assertThat(broker.totals().lateReplies()).isEqualTo(1);
        assertThat(broker.totals().routed()).isZero();
        assertThat(handler.info().latencyP99Micros()).as("no answer timed").isZero();
    }

    /**
     * The agent's TIMEOUT is one of its requester's errors, as its ERROR frame to a connection is,
     * whoever the request waited for: it counted only for a request that waited for a connection.
     */
    @Test
    void theAgentsTimeoutIsInTheErrorsOfABundlesClientWhoeverItWaitedFor() throws Exception {
        List<CompletableFuture<ByteBuf>> answers = new CopyOnWriteArrayList<>();
        broker.addHandler(message -> {
            CompletableFuture<ByteBuf> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }, new HandlerProperties(1001, "slow", 0, 1), "bundle slow");
        TestPeer upnp = agent.peer(42, "upnp");

        assertThatThrownBy(() -> client.request(Address.name("slow"), 1, text("abc"), SHORT))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
        assertTimedOut(client.requestAsync(Address.name("slow"), 1, text("abc"), SHORT).toCompletableFuture());
        CompletableFuture<Message> toConnection = client.requestAsync(Address.name("upnp"), 1, text("abc"), SHORT)
                .toCompletableFuture();
        upnp.next();
        assertTimedOut(toConnection);
        answers.forEach(answer -> answer.complete(text("late")));

        assertThat(client.info().errors()).as("three TIMEOUTs").isEqualTo(3);
        assertThat(broker.totals().timeouts()).isEqualTo(3);
    }

    /**
     * An error that the requester was not given (it had cancelled its future) was counted in its errors,
     * and among the agent's timeouts.
     */
    @Test
    void theAgentsTimeoutToARequestItsClientCancelledIsNotCounted() throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");
        CompletableFuture<Message> status = client.requestAsync(Address.name("upnp"), 3, text("status"),
                Duration.ofMillis(50)).toCompletableFuture();
        upnp.next();

        status.cancel(false);

        // the timer takes the request off upnp (its in-flight) and then gives the TIMEOUT nobody takes:
        // counted as it is given, and taken back at once, so all zero once the timer is done with it
        await().until(() -> inFlightOf("upnp") == 0);
        await().untilAsserted(() -> {
            assertThat(broker.totals().timeouts()).as("timeouts").isZero();
            assertThat(client.info().errors()).as("errors").isZero();
            assertThat(client.info().messagesOut()).as("messages out").isZero();
        });
    }

    /**
     * A synchronous caller interrupted while it waits gives the request up, as an async caller's cancel
     * does: the reply that still comes is a late reply. It was routed and counted out to the caller
     * that was no longer there.
     */
    @Test
    void aReplyToASynchronousCallerThatStoppedWaitingIsALateReply() throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                client.request(Address.name("upnp"), 3, text("status"), FIVE_SECONDS);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.start();
        Frame request = upnp.next();
        caller.interrupt();
        caller.join(FIVE_SECONDS.toMillis());
        assertThat(thrown.get()).isInstanceOf(AgentException.class);

        upnp.reply(request, "late");

        await().until(() -> broker.totals().lateReplies() == 1);
        assertThat(broker.totals().routed()).isZero();
        assertThat(client.info().messagesOut()).isZero();
    }

    /** A connection's answer to a request its caller gave up on (cancelled) went into its latency. */
    @Test
    void aConnectionsAnswerToARequestItsCallerGaveUpOnIsNotTimed() throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");
        CompletableFuture<Message> status = client.requestAsync(Address.name("upnp"), 3, text("status"),
                FIVE_SECONDS).toCompletableFuture();
        Frame request = upnp.next();
        status.cancel(false);
        sleep(20);

        upnp.reply(request, "late");

        await().until(() -> broker.totals().lateReplies() == 1);
        assertThat(broker.totals().routed()).isZero();
        assertThat(infoOf("upnp").latencyP99Micros()).as("no answer timed").isZero();
        assertThat(infoOf("upnp").inFlight()).isZero();
    }

    private PeerInfo infoOf(String name) {
        return broker.peers().stream().filter(peer -> peer.name().equals(name)).findFirst().orElseThrow();
    }

    private int inFlightOf(String name) {
        return infoOf(name).inFlight();
    }

    private static void assertTimedOut(CompletableFuture<Message> answer) {
        assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
