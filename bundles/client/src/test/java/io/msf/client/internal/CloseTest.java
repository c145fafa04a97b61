package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** close(): outstanding calls fail, threads end, the connection goes, nothing leaks, and it is final. */
class CloseTest extends ClientTestBase {

    @Test
    void closeFailsOutstandingCallsAndEndsTheClientsThreads() throws Exception {
        ConnectedClient client = connect(options().name("closing"));
        Queue<ConnectionState> states = states(client);
        client.subscribe("a.>", message -> { });
        CompletableFuture<Message> outstanding = client.requestAsync(Address.name(FakeAgent.BLACKHOLE), 1,
                text("x"), Duration.ofSeconds(30)).toCompletableFuture();

        client.close();
        client.close();

        assertThat(outstanding).failsWithin(SECONDS_5).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE));
        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(client.awaitConnected(Duration.ofMillis(1))).isFalse();
        // close() returns once the loop has terminated; its thread ends a few instructions later
        await().untilAsserted(() -> assertThat(threadsOf("-closing-")).isEmpty());
        await().untilAsserted(() -> assertThat(agent.connections).isEmpty());
        await().untilAsserted(() -> assertThat(states).containsExactly(ConnectionState.CLOSED));
        assertThat(catchThrowableOfType(AgentException.class,
                () -> client.request(Address.name(FakeAgent.ECHO), 1, text("late"), SECONDS_5)).code())
                .isEqualTo(ErrorCode.PEER_OFFLINE);
    }

    /** A call waiting when the application closes the client says so, not that the agent went away. */
    @Test
    void callsWaitingWhenTheClientClosesSayItWasClosed() {
        ConnectedClient client = connect(options().name("closing"));
        CompletableFuture<Message> outstanding = client.requestAsync(Address.name(FakeAgent.BLACKHOLE), 1,
                text("x"), Duration.ofSeconds(30)).toCompletableFuture();

        client.close();

        // failed by the end of the connection, or by the write, if the frame had not left yet
        assertThat(outstanding).failsWithin(SECONDS_5).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE))
                .withMessage("PEER_OFFLINE: request to blackhole, command 1: the client was closed");
    }

    @Test
    void aClientMayBeClosedFromItsOwnCallback() {
        ConnectedClient client = connect(options().name("self"));
        client.subscribe("bye", message -> client.close());

        client.publish("bye", 1, text("close yourself"));

        await().until(() -> client.state() == ConnectionState.CLOSED);
        await().untilAsserted(() -> assertThat(threadsOf("-self-")).isEmpty());
    }

    /**
     * A second close() while the first one waits for a listener to return does not return before
     * it: its caller may then tear down what the listener uses.
     */
    @Test
    void aSecondCloseReturnsOnlyOnceTheClientIsClosed() throws Exception {
        ConnectedClient client = connect(options().name("twice"));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean listenerReturned = new AtomicBoolean();
        client.subscribe("t", message -> {
            entered.countDown();
            awaitQuietly(release);
            listenerReturned.set(true);
        });
        client.publish("t", 1, text("hold"));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        // Threads of their own, not CompletableFuture.runAsync: on 2 cores the common pool may have
        // one worker (Java 25 gives it async tasks even then), and the first close holding it would
        // keep the releaser from ever running.
        CompletableFuture<Void> first = new CompletableFuture<>();
        startThread("first-close", () -> {
            client.close();
            first.complete(null);
        });
        await().until(() -> client.state() == ConnectionState.CLOSED); // the first waits for the listener now
        Thread closer = Thread.currentThread();
        // lets the listener go once this thread waits in the second close
        startThread("releaser", () -> {
            await().until(() -> closer.getState() == Thread.State.WAITING || closer.getState() == Thread.State.TIMED_WAITING);
            release.countDown();
        });

        try {
            client.close();

            assertThat(listenerReturned).isTrue();
            assertThat(first).succeedsWithin(SECONDS_5);
        } finally {
            release.countDown();
        }
    }

    /**
     * A listener that never returns holds close() for the shutdown wait (5 s) once, not once for each of
     * its steps: it took 10 s, the wait in the shutdown and the same wait again after it.
     */
    @Test
    void aStuckListenerHoldsCloseForOneShutdownWait() throws Exception {
        ConnectedClient client = connect(options().name("stuck"));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        client.subscribe("t", message -> {
            entered.countDown();
            awaitQuietly(release);
        });
        client.publish("t", 1, text("hold"));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

        try {
            assertTimeoutPreemptively(Duration.ofSeconds(8), client::close,
                    "close() waited for the stuck listener more than once");
            assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        } finally {
            release.countDown();
        }
    }

    /** A listener that closes the client while another thread closes it returns, and so do both closes. */
    @Test
    void aCloseFromACallbackWhileAnotherCloseWaitsForItDoesNotDeadlock() throws Exception {
        ConnectedClient client = connect(options().name("both"));
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Void> closedInListener = new CompletableFuture<>();
        client.subscribe("t", message -> {
            entered.countDown();
            await().until(() -> client.state() == ConnectionState.CLOSED); // the other close is under way
            client.close();
            closedInListener.complete(null);
        });
        client.publish("t", 1, text("close"));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

        assertTimeoutPreemptively(Duration.ofSeconds(4), client::close, "close() waited for the callback thread "
                + "(which waits for it) until its shutdown wait of 5 s ran out");
        assertThat(closedInListener).isDone();
    }

    /**
     * What was received but not yet handed to the application when close() returns is dropped:
     * an application tears down what its handler and listeners use after closing the client.
     */
    @Test
    void noListenerOrHandlerIsCalledOnceCloseHasReturned() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger listenerCalls = new AtomicInteger();
        AtomicInteger handlerCalls = new AtomicInteger();
        ConnectedClient client = connect(options().name("busy").executor(executor).handler(message -> {
            handlerCalls.incrementAndGet();
            return null;
        }));
        client.subscribe("t", message -> {
            listenerCalls.incrementAndGet();
            try {
                release.await(); // holds the executor: what follows waits behind it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 10; i++) {
            client.publish("t", 1, text("p" + i));
        }
        client.notify(Address.name("busy"), 1, text("n")); // its stage completes on the held executor
        // The agent sends in order: once this reply is in, the publications and the notification are too.
        textOf(client.request(Address.name(FakeAgent.ECHO), 1, text("after"), SECONDS_5));
        await().until(() -> listenerCalls.get() == 1);

        client.close();
        release.countDown();
        executor.shutdown();

        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(listenerCalls).hasValue(1);
        assertThat(handlerCalls).hasValue(0);
    }

    private static void startThread(String name, Runnable task) {
        Thread thread = new Thread(task, "close-test-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Queue<String> threadsOf(String clientName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("msf-client-") && name.contains(clientName))
                .collect(java.util.stream.Collectors.toCollection(java.util.concurrent.ConcurrentLinkedQueue::new));
    }
}
