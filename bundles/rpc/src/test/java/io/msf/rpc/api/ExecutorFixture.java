package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.testing.InMemoryAgent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * For the tests of synchronous methods run on a handler's executor: an executor of one thread,
 * named as a bundle's pool thread, an agent to call through, and a blocking method that holds the
 * executor's thread until {@link #release}. {@link #close} from {@code @AfterEach}.
 */
public final class ExecutorFixture implements AutoCloseable {

    /** The name of the executor's one thread. */
    public static final String THREAD = "bundle-rpc-1";

    private final ExecutorService executor = Executors.newFixedThreadPool(1, task -> new Thread(task, THREAD));
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final InMemoryAgent agent;

    public ExecutorFixture(InMemoryAgent agent) {
        this.agent = agent;
    }

    public ExecutorService executor() {
        return executor;
    }

    public InMemoryAgent agent() {
        return agent;
    }

    /** The body of an implementation's blocking method: waits for {@link #release}. */
    public String blocking() throws InterruptedException {
        entered.countDown();
        release.await();
        return "released";
    }

    /**
     * Makes {@code call}, which ends in {@link #blocking}, on a thread of its own, and returns once
     * the implementation has entered it: then the executor's one thread is busy.
     */
    public CompletableFuture<String> callBlocking(BlockingCall call) throws InterruptedException {
        CompletableFuture<String> made = CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        return made;
    }

    /** Lets {@link #blocking} return. */
    public void release() {
        release.countDown();
    }

    @Override
    public void close() {
        release.countDown();
        executor.shutdownNow();
        await().until(agent::allReleased);
        agent.close();
    }

    /** A proxy's method that blocks. */
    @FunctionalInterface
    public interface BlockingCall {
        String call() throws InterruptedException;
    }
}
