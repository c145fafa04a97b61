package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An application's executor that refuses tasks (a bounded pool that is full, or one shut down):
 * what it refuses is dropped like what finds the receive queue full, and never run on the I/O
 * thread, where a handler or listener that blocks would stop the PONGs and the agent would take
 * the client for dead.
 */
class RefusingExecutorTest extends ClientTestBase {

    /**
     * How often the executor is watched where a test waits for a dropped task to be taken back (after
     * three watches). Not by a 30 ms heartbeat: that took a loaded machine's late PONG for a dead
     * agent, and the publications sent meanwhile never reached the executor to be dropped. Nor every
     * 30 ms: a task handed to a pool thread that a loaded machine did not schedule for three such
     * watches (90 ms) was taken as dropped, and a publication meant to arrive was reported dropped.
     */
    private static final long WATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Many times the three watches after which a task neither run nor queued counts as dropped. */
    private static final Duration SLOW_POOL_PAUSE = Duration.ofNanos(6 * 3 * WATCH_NANOS);

    private final CountDownLatch release = new CountDownLatch(1);
    /** The threads the handler or listener ran on. */
    private final Queue<String> ranOn = new ConcurrentLinkedQueue<>();
    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private final Queue<String> warnings = new ConcurrentLinkedQueue<>();
    private final Logger log = Logger.getLogger("io.msf.client");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    RefusingExecutorTest() {
        log.addHandler(capture);
    }

    @AfterEach
    void releaseAndStop() {
        release.countDown(); // before the fix this frees the I/O thread the handler or listener held
        pool.shutdown();
        log.removeHandler(capture);
    }

    @Test
    void aRequestAFullPoolRefusesIsAnsweredOverloadedAndThePingsGoOn() throws Exception {
        agent.heartbeatMillis = 20;
        ThreadPoolExecutor full = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new SynchronousQueue<>());
        try {
            full.execute(this::awaitRelease); // its one thread is busy, and it queues nothing
            ConnectedClient service = connect(options().name("svc").executor(full).handler(message -> {
                ranOn.add(Thread.currentThread().getName());
                awaitRelease();
                return null;
            }));

            // To itself: the only client, so the PONGs the agent counts are all its own.
            AgentException error = catchThrowableOfType(AgentException.class,
                    () -> service.request(Address.name("svc"), 1, text("x"), SECONDS_5));

            assertThat(error.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(error).hasMessageContaining("msf client 'svc''s executor refused to run its handler");
            assertPingsAnswered(service);
            assertThat(ranOn).isEmpty();
            assertThat(warnings).anySatisfy(warning -> assertThat(warning)
                    .contains("msf client 'svc': the executor refused to run the handler or a listener")
                    .contains("dropping REQUEST command 1"));
        } finally {
            release.countDown();
            full.shutdown();
        }
    }

    /**
     * Refused batches are dropped with their places in the queue given back: with 4 places, those
     * refused would leave none for the 4 that follow if they kept theirs. What is delivered keeps its order.
     */
    @Test
    void publicationsTheExecutorRefusesAreDroppedAndThoseAfterArriveInOrderOffTheIoThread() {
        agent.heartbeatMillis = 20;
        Gate gate = new Gate(pool);
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        ConnectedClient subscriber = connect(options().name("sub").executor(gate).maxQueuedMessages(4));
        subscriber.subscribe("t", message -> {
            ranOn.add(Thread.currentThread().getName());
            seen.add(FakeAgent.text(message.payload()));
            awaitRelease();
        });
        subscriber.subscribe("u", message -> ranOn.add(Thread.currentThread().getName()));

        gate.refusing = true;
        for (int i = 0; i < 3; i++) {
            subscriber.publish("t", 1, text("refused " + i));
            subscriber.publish("u", 1, text("refused " + i));
        }
        // The agent sends in order: once this reply is in, the publications are too.
        assertThat(textOf(subscriber.request(Address.name(FakeAgent.ECHO), 1, text("after"), SECONDS_5)))
                .isEqualTo("after");

        assertPingsAnswered(subscriber);
        assertThat(ranOn).isEmpty();
        await().untilAsserted(() -> assertThat(warnings).anySatisfy(warning -> assertThat(warning)
                .contains("msf client 'sub': the executor refused to run the handler or a listener")
                .contains("dropping publication on '")));

        gate.refusing = false;
        release.countDown();
        for (int i = 0; i < 4; i++) {
            subscriber.publish("t", 1, text("taken " + i));
        }

        await().untilAsserted(() -> assertThat(seen).containsExactly("taken 0", "taken 1", "taken 2", "taken 3"));
        assertThat(ranOn).noneSatisfy(thread -> assertThat(thread).endsWith("-io"));
    }

    /** The completion of a stage is not dropped: the application waits for it. Nor does it run on the I/O thread. */
    @Test
    void anAsyncReplyTheExecutorRefusesCompletesOffTheIoThread() throws Exception {
        ExecutorService shutDown = Executors.newSingleThreadExecutor();
        shutDown.shutdown();
        ConnectedClient client = connect(options().name("async").executor(shutDown));
        AtomicReference<String> completedOn = new AtomicReference<>();

        var reply = client.requestAsync(Address.name(FakeAgent.ECHO), 1, text("a"), SECONDS_5).toCompletableFuture();
        reply.whenComplete((message, failure) -> completedOn.set(Thread.currentThread().getName()));

        assertThat(textOf(reply.get(5, TimeUnit.SECONDS))).isEqualTo("a");
        await().untilAsserted(() -> assertThat(completedOn.get()).isNotNull().doesNotEndWith("-async-io"));
    }

    /**
     * An executor that drops tasks silently (DiscardPolicy) neither runs nor refuses them: what it
     * dropped is taken back after three watches of the executor (three heartbeats, outside tests) and
     * reported like a refusal, and the subscription's queue, which waited for the dropped task, goes
     * on with those that follow.
     */
    @Test
    void publicationsAnExecutorDropsSilentlyAreReportedAndThoseAfterArrive() {
        ThreadPoolExecutor discarding = discardingPool();
        try {
            Queue<String> seen = new ConcurrentLinkedQueue<>();
            ConnectedClient subscriber = connectWatched(options().name("sub").executor(discarding)
                    .maxQueuedMessages(4));
            subscriber.subscribe("t", message -> seen.add(FakeAgent.text(message.payload())));

            discarding.execute(this::awaitRelease); // its one thread is busy, and it queues nothing
            for (int i = 0; i < 3; i++) {
                subscriber.publish("t", 1, text("dropped " + i));
            }
            await().untilAsserted(() -> assertThat(warnings).anySatisfy(warning -> assertThat(warning)
                    .contains("msf client 'sub': the executor refused to run the handler or a listener")
                    .contains("neither ran nor refused a task within")
                    .contains("dropping publication on 't'")));
            // From here the pool has threads to spare: that the queue goes on after the drops is what this proves,
            // and a pool that may still drop would lose what follows too. Awaiting its one thread idle did not do:
            // the thread takes a task only once back on its queue, a moment later, and a publication handed to it
            // before (the first that follows, or the next read's while it ends a drain) was dropped. A busy
            // machine that kept the thread from its queue that moment failed the test.
            discarding.setMaximumPoolSize(4);
            release.countDown();
            for (int i = 0; i < 4; i++) {
                subscriber.publish("t", 1, text("taken " + i));
            }

            await().untilAsserted(() -> assertThat(seen).containsExactly("taken 0", "taken 1", "taken 2", "taken 3"));
        } finally {
            discarding.shutdown();
        }
    }

    /** A request whose handler task the executor dropped silently is answered OVERLOADED, not left to time out. */
    @Test
    void aRequestAnExecutorDropsSilentlyIsAnsweredOverloaded() {
        ThreadPoolExecutor discarding = discardingPool();
        try {
            ConnectedClient service = connectWatched(options().name("svc").executor(discarding)
                    .handler(message -> {
                        ranOn.add(Thread.currentThread().getName());
                        return null;
                    }));
            discarding.execute(this::awaitRelease);

            AgentException error = catchThrowableOfType(AgentException.class,
                    () -> service.request(Address.name("svc"), 1, text("x"), SECONDS_5));

            assertThat(error.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(error).hasMessageContaining("msf client 'svc''s executor refused to run its handler (it neither "
                    + "ran nor refused a task within");
            assertThat(ranOn).isEmpty();
        } finally {
            release.countDown();
            discarding.shutdown();
        }
    }

    /** The completion of a stage the executor dropped silently runs on the JDK's common pool: it is not lost. */
    @Test
    void anAsyncReplyAnExecutorDropsSilentlyStillCompletes() throws Exception {
        ThreadPoolExecutor discarding = discardingPool();
        try {
            ConnectedClient client = connectWatched(options().name("async").executor(discarding));
            discarding.execute(this::awaitRelease);

            var reply = client.requestAsync(Address.name(FakeAgent.ECHO), 1, text("a"), SECONDS_5)
                    .toCompletableFuture();

            assertThat(textOf(reply.get(5, TimeUnit.SECONDS))).isEqualTo("a");
        } finally {
            release.countDown();
            discarding.shutdown();
        }
    }

    /**
     * A pool that is only slow holds what it has not started in its queue: however long that
     * takes, it is waiting, not dropped, and every publication arrives.
     */
    @Test
    void publicationsQueuedBehindASlowPoolAreNotTakenAsDropped() {
        ThreadPoolExecutor slow = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
        try {
            Queue<String> seen = new ConcurrentLinkedQueue<>();
            ConnectedClient subscriber = connectWatched(options().name("sub").executor(slow).maxQueuedMessages(4));
            subscriber.subscribe("t", message -> seen.add(FakeAgent.text(message.payload())));

            slow.execute(this::awaitRelease); // its one thread is busy; what follows waits in its queue
            for (int i = 0; i < 3; i++) {
                subscriber.publish("t", 1, text("waited " + i));
            }
            await().until(() -> !slow.getQueue().isEmpty());
            // many times the three watches after which a task neither run nor queued counts as dropped
            await().atMost(SLOW_POOL_PAUSE.multipliedBy(2)).pollDelay(SLOW_POOL_PAUSE).until(() -> true);
            release.countDown();

            await().untilAsserted(() -> assertThat(seen).containsExactly("waited 0", "waited 1", "waited 2"));
            assertThat(warnings).noneSatisfy(warning -> assertThat(warning).contains("neither ran nor refused"));
        } finally {
            slow.shutdown();
        }
    }

    /** A client (with the default heartbeat, 5 s) whose executor is watched every {@link #WATCH_NANOS}. */
    private ConnectedClient connectWatched(ClientOptions.Builder options) {
        return closeLater(SocketAgentClient.connect(options.build(), HostLookups.JDK, WATCH_NANOS));
    }

    /** One thread, no queue, and what finds that thread busy is dropped without a word. */
    private static ThreadPoolExecutor discardingPool() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
                new ThreadPoolExecutor.DiscardPolicy());
    }

    /** The agent's PINGs keep being answered for a while, and the client, the agent's only one, stays connected. */
    private void assertPingsAnswered(ConnectedClient client) {
        int before = agent.pongs.size();
        await().untilAsserted(() -> assertThat(agent.pongs).hasSizeGreaterThanOrEqualTo(before + 5));
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Passes tasks to a pool, or refuses them all while {@link #refusing}. */
    private static final class Gate implements Executor {
        private final Executor pool;
        volatile boolean refusing;

        Gate(Executor pool) {
            this.pool = pool;
        }

        @Override
        public void execute(Runnable task) {
            if (refusing) {
                throw new RejectedExecutionException("the gate is shut");
            }
            pool.execute(task);
        }
    }
}
