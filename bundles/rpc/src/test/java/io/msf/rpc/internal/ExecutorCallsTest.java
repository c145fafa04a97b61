package io.msf.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.client.testing.InMemoryAgent;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.rpc.api.ExecutorFixture;
import io.msf.rpc.api.Rpc;
import io.msf.rpc.api.RpcHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Synchronous methods on a handler's executor: what runs there, and on which thread's account. */
class ExecutorCallsTest {

    private static final Address AT = Address.name("test.executor");

    /** Work whose blocking method throws what an interrupted sleep does. */
    private static final Work INTERRUPTED = new Work() {
        @Override
        public String quick() {
            return "quick";
        }

        @Override
        public String blocking() throws InterruptedException {
            throw new InterruptedException("sleep interrupted");
        }
    };

    private final ExecutorFixture pool = new ExecutorFixture(InMemoryAgent.onHandlerThreads());
    private final ExecutorService executor = pool.executor();
    private final InMemoryAgent agent = pool.agent();
    private final AtomicInteger quickCalls = new AtomicInteger();
    private final Work impl = new Work() {
        @Override
        public String quick() {
            quickCalls.incrementAndGet();
            return "done";
        }

        @Override
        public String blocking() throws InterruptedException {
            return pool.blocking();
        }
    };

    /** A quick method and one that blocks. */
    public interface Work {
        String quick();

        String blocking() throws InterruptedException;
    }

    @AfterEach
    void stop() {
        pool.close();
    }

    /**
     * Before, the call ran once the executor came to it, long after its caller had TIMEOUT: under
     * load a backed-up queue went on running calls nobody waited for, making the next ones later still.
     */
    @Test
    void aCallStillQueuedWhenItsCallerGotTimeoutIsNotMade() throws Exception {
        agent.register(AT.name(), Rpc.handler(Work.class, impl, executor));
        Work patient = Rpc.proxy(agent.client(5), AT, Work.class, Duration.ofSeconds(60));
        Work impatient = Rpc.proxy(agent.client(5), AT, Work.class, Duration.ofMillis(200));
        await().until(() -> CallTimer.waiting() == 0); // earlier tests' guards, cancelled as their handlers closed
        CompletableFuture<String> blocking = pool.callBlocking(patient::blocking);
        // its guard is set once the call is handed over, which may be after the call has begun
        await().atMost(Duration.ofSeconds(5)).until(() -> CallTimer.waiting() == 1);

        assertThatThrownBy(impatient::quick).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
        // the handler's own guard of the queued call has run out too (the caller's may come first):
        // only the blocking call's is left
        await().atMost(Duration.ofSeconds(5)).until(() -> CallTimer.waiting() == 1);
        pool.release();

        assertThat(blocking.get(5, TimeUnit.SECONDS)).isEqualTo("released");
        executor.shutdown();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(quickCalls).hasValue(0);
    }

    /**
     * A call an executor runs on the delivering thread (a direct executor, or a pool's
     * CallerRunsPolicy when full) is complete when it is handed back: it needs no guard. Before, the
     * guard was scheduled before the call was handed over, so every such call went through the one
     * timer queue of the JVM, scheduled and cancelled, and started the timer's thread.
     */
    @Test
    void aCallCompletedInlineSchedulesNothingOnTheCallTimer() {
        awaitNoTimer(); // what earlier tests scheduled has run out or been cancelled
        AtomicInteger guardsDuringTheCall = new AtomicInteger(-1);
        Work inline = new Work() {
            @Override
            public String quick() {
                guardsDuringTheCall.set(CallTimer.waiting());
                return "inline";
            }

            @Override
            public String blocking() {
                return "inline";
            }
        };
        agent.register(AT.name(), Rpc.handler(Work.class, inline, Runnable::run));
        Work proxy = Rpc.proxy(agent.client(5), AT, Work.class, Duration.ofSeconds(60));

        assertThat(proxy.quick()).isEqualTo("inline");

        assertThat(guardsDuringTheCall).hasValue(0);
        assertThat(timerRuns()).as("the " + CallTimer.THREAD + " thread, started by a call scheduled on it").isFalse();
    }

    /** A result whose encoding says on which thread it ran: Jackson reads its property there. */
    public static final class Traced {
        private final AtomicReference<String> encodedOn;

        public Traced() {
            this(new AtomicReference<>());
        }

        Traced(AtomicReference<String> encodedOn) {
            this.encodedOn = encodedOn;
        }

        public String getValue() {
            encodedOn.compareAndSet(null, Thread.currentThread().getName());
            return "traced";
        }

        public void setValue(String value) {
            // read back on the caller's side: nothing to keep
        }
    }

    /** A method whose result is {@link Traced}. */
    public interface Tracing {
        Traced traced();
    }

    /**
     * A pool's thread may complete the call before {@code execute} returns to the delivering thread
     * (here always: the executor waits for it). Before, the encoding of the result was wired to the
     * call only after {@code execute}, so it ran on the delivering thread, for a socket caller an
     * event loop, which a large result then kept from every other channel it serves.
     */
    @Test
    void aResultIsEncodedOnThePoolThreadEvenWhenTheCallCompletesBeforeExecuteReturns() {
        AtomicReference<String> encodedOn = new AtomicReference<>();
        Executor waitsForTheCall = task -> {
            try {
                executor.submit(task).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        agent.register(AT.name(), Rpc.handler(Tracing.class, () -> new Traced(encodedOn), waitsForTheCall));
        Tracing proxy = Rpc.proxy(agent.client(5), AT, Tracing.class, Duration.ofSeconds(10));

        assertThat(proxy.traced().getValue()).isEqualTo("traced");

        assertThat(encodedOn).hasValue(ExecutorFixture.THREAD);
    }

    /**
     * Before, only a RejectedExecutionException let a refused call's arguments go: after 40 calls of
     * 1 MiB an executor failed with IllegalStateException (stopping), the handler answered every later
     * call OVERLOADED ("the calls waiting ... hold 31.0 MiB"), though none waited.
     */
    @Test
    void aCallTheExecutorFailedToTakeDoesNotStayCountedAsWaiting() throws Exception {
        AtomicReference<RuntimeException> failing = new AtomicReference<>(new IllegalStateException("stopping"));
        Executor stopping = task -> {
            RuntimeException failure = failing.get();
            if (failure != null) {
                throw failure;
            }
            task.run();
        };
        RpcHandler handler = Rpc.handler(Store.class, data -> data.length, Rpc.DEFAULT_MAX_CALL_TIME, stopping);
        byte[] mebibyte = byteString(1 << 20);
        for (int i = 0; i < 40; i++) {
            assertThatThrownBy(() -> put(handler, mebibyte)).isInstanceOf(IllegalStateException.class);
        }
        failing.set(null);

        ByteBuf reply = put(handler, mebibyte);
        reply.release();
    }

    /** Takes bytes. */
    public interface Store {
        int put(byte[] data);
    }

    private static ByteBuf put(RpcHandler handler, byte[] payload) throws Exception {
        int command = Rpc.command(Store.class, Store.class.getMethod("put", byte[].class));
        Message request = Message.request("test.store", command, 1, 10_000, Unpooled.wrappedBuffer(payload));
        return handler.handle(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** {@code [h'00...']}: one argument, a byte string of {@code size} zeros. */
    private static byte[] byteString(int size) {
        byte[] payload = new byte[6 + size];
        payload[0] = (byte) 0x81;
        payload[1] = 0x5a; // a byte string, 4-byte length
        payload[2] = (byte) (size >>> 24);
        payload[3] = (byte) (size >>> 16);
        payload[4] = (byte) (size >>> 8);
        payload[5] = (byte) size;
        return payload;
    }

    private static void awaitNoTimer() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !timerRuns() && CallTimer.waiting() == 0);
    }

    private static boolean timerRuns() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().equals(CallTimer.THREAD));
    }

    /**
     * A direct executor (or a pool's CallerRunsPolicy) runs the call on the thread delivering the
     * request: for a socket caller, an event loop, whose flag is not the implementation's. Before, the
     * executor path set it whatever the thread. (The request is sent raw, as the agent delivers a
     * socket peer's.)
     */
    @Test
    void anImplementationInterruptedOnADirectExecutorLeavesTheDeliveringThreadAsItWas() throws Exception {
        int blocking = Rpc.command(Work.class, Work.class.getMethod("blocking"));
        DefaultEventExecutor loop = new DefaultEventExecutor();
        try (InMemoryAgent sameThread = new InMemoryAgent()) {
            sameThread.register(AT.name(), Rpc.handler(Work.class, INTERRUPTED, Runnable::run));
            AgentClient socketPeer = sameThread.client(5);

            boolean flagged = loop.submit(() -> {
                socketPeer.request(AT, blocking, Unpooled.wrappedBuffer(new byte[] {(byte) 0x80}), Duration.ofSeconds(10))
                        .release();
                return Thread.interrupted();
            }).get(10, TimeUnit.SECONDS);

            assertThat(flagged).isFalse();
            await().until(sameThread::allReleased);
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    /** An in-container caller waiting in a proxy, the call run on its thread by a direct executor: its flag. */
    @Test
    void anImplementationInterruptedOnADirectExecutorLeavesAProxyCallersThreadInterrupted() {
        try (InMemoryAgent sameThread = new InMemoryAgent()) {
            sameThread.register(AT.name(), Rpc.handler(Work.class, INTERRUPTED, Runnable::run));
            Work proxy = Rpc.proxy(sameThread.client(5), AT, Work.class, Duration.ofSeconds(10));
            try {
                assertThatThrownBy(proxy::blocking).hasMessageContaining("sleep interrupted");
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            await().until(sameThread::allReleased);
        }
    }
}
