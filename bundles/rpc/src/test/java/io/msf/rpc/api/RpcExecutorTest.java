package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.testing.InMemoryAgent;
import io.msf.protocol.api.ErrorCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A handler given an executor runs its synchronous methods there, off the thread delivering the request. */
class RpcExecutorTest {

    private static final Address AT = Address.name("test.threads");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Delivers each request on the caller's own thread, as the agent does for a caller in the container. */
    private final ExecutorFixture pool = new ExecutorFixture(new InMemoryAgent());
    private final ExecutorService executor = pool.executor();
    private final InMemoryAgent agent = pool.agent();
    private final AtomicInteger syncCalls = new AtomicInteger();
    private final Threads impl = new Threads() {
        @Override
        public String syncThread() {
            syncCalls.incrementAndGet();
            return Thread.currentThread().getName();
        }

        @Override
        public CompletionStage<String> asyncThread() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Override
        public String blocking() throws InterruptedException {
            return pool.blocking();
        }
    };

    /** Methods that say where they run. */
    public interface Threads {
        String syncThread();

        CompletionStage<String> asyncThread();

        String blocking() throws InterruptedException;
    }

    @AfterEach
    void stop() {
        pool.close();
    }

    private Threads proxy(RpcHandler handler) {
        agent.register(AT.name(), handler);
        return Rpc.proxy(agent.client(5), AT, Threads.class, TIMEOUT);
    }

    @Test
    void synchronousMethodsRunOnTheExecutorAsynchronousOnesOnTheDeliveringThread() {
        Threads threads = proxy(Rpc.handler(Threads.class, impl, executor));

        assertThat(threads.syncThread()).isEqualTo(ExecutorFixture.THREAD);
        assertThat(threads.asyncThread().toCompletableFuture().join()).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void withoutAnExecutorSynchronousMethodsRunOnTheDeliveringThread() {
        Threads threads = proxy(Rpc.handler(Threads.class, impl));

        assertThat(threads.syncThread()).isEqualTo(Thread.currentThread().getName());
    }

    /** On the executor the caller's timeout holds: its own thread no longer runs the method. */
    @Test
    void aBlockingMethodOnTheExecutorTimesOutForItsCaller() {
        agent.register(AT.name(), Rpc.handler(Threads.class, impl, executor));
        Threads threads = Rpc.proxy(agent.client(5), AT, Threads.class, Duration.ofMillis(100));

        assertThatThrownBy(threads::blocking).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    }

    @Test
    void anExecutorShutDownIsPeerOfflineForTheCaller() {
        Threads threads = proxy(Rpc.handler(Threads.class, impl, executor));
        executor.shutdown();

        assertThatThrownBy(threads::syncThread).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE);
            assertThat(e).hasMessageContaining("Threads.syncThread() not called: its executor is shut down");
        });
    }

    @Test
    void closingTheHandlerFailsACallWaitingOnTheExecutor() throws Exception {
        RpcHandler handler = Rpc.handler(Threads.class, impl, executor);
        agent.register(AT.name(), handler);
        Threads threads = Rpc.proxy(agent.client(5), AT, Threads.class, Duration.ofSeconds(60));
        CompletableFuture<String> call = pool.callBlocking(threads::blocking);

        handler.close();

        assertThatThrownBy(() -> call.get(2, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE));
    }

    /** A call still queued when the handler closes was answered PEER_OFFLINE: it is not made afterwards. */
    @Test
    void aCallQueuedOnTheExecutorWhenTheHandlerClosesIsNotMade() throws Exception {
        RpcHandler handler = Rpc.handler(Threads.class, impl, executor);
        InMemoryAgent threads = InMemoryAgent.onHandlerThreads();
        try {
            threads.register(AT.name(), handler);
            Threads proxy = Rpc.proxy(threads.client(5), AT, Threads.class, Duration.ofSeconds(60));
            CompletableFuture<String> blocking = pool.callBlocking(proxy::blocking);
            CompletableFuture<String> queued = CompletableFuture.supplyAsync(proxy::syncThread);
            await().until(() -> ((ThreadPoolExecutor) executor).getQueue().size() == 1);

            handler.close();
            pool.release();

            assertThatThrownBy(() -> queued.get(2, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(
                    AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE));
            assertThatThrownBy(() -> blocking.get(2, TimeUnit.SECONDS)).cause().isInstanceOf(AgentException.class);
            executor.shutdown();
            assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(syncCalls).hasValue(0);
            await().until(threads::allReleased);
        } finally {
            threads.close();
        }
    }
}
