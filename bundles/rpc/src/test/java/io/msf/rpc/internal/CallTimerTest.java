package io.msf.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.AgentException;
import io.msf.concurrent.testing.OwnLoader;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.rpc.api.Rpc;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The thread that ends an asynchronous call past its time keeps no class loader of the bundles that
 * called: it outlives the call, and a loader it held would stay in memory after its bundle is updated
 * or uninstalled.
 */
class CallTimerTest {

    /** CBOR's empty array: the arguments of a method without parameters. */
    private static final byte[] NO_ARGUMENTS = {(byte) 0x80};

    /** A value the threads a caller makes inherit, as a logging library's context is. */
    private static final InheritableThreadLocal<Object> INHERITED = new InheritableThreadLocal<>();

    /** What every call returns: never completed, unless a test does so. */
    private final CompletableFuture<String> stuck = new CompletableFuture<>();
    private final MessageHandler handler = Rpc.handler(Stuck.class, () -> stuck, Duration.ofSeconds(30));

    /** A method whose stage completes when the test says so. */
    public interface Stuck {
        CompletionStage<String> never();
    }

    @Test
    void theThreadThatEndsACallHasNoContextClassLoader() throws Exception {
        Thread caller = Thread.currentThread();
        ClassLoader own = caller.getContextClassLoader();
        ClassLoader bundles = new ClassLoader(null) { };
        CompletableFuture<ByteBuf> answer;
        caller.setContextClassLoader(bundles);
        try {
            answer = call(200);
        } finally {
            caller.setContextClassLoader(own);
        }
        // attached at once, long before the call's 200 ms: runs on the thread that ends it
        CompletableFuture<ClassLoader> seen = answer.handle((reply, failure) -> {
            assertThat(((AgentException) failure).code()).isEqualTo(ErrorCode.TIMEOUT);
            return Thread.currentThread().getContextClassLoader();
        });

        assertThat(seen.get(5, TimeUnit.SECONDS)).isNull();
    }

    /**
     * A thread made on another's stack keeps (on Java 17) the protection domains of the classes on
     * it, each with its class loader: the timer's, made by the call that first needs it, must not,
     * for as long as later calls keep it running.
     */
    @Test
    void theTimerKeepsNoLoaderOfAClassThatCalled() throws Exception {
        awaitNoTimer(); // made by the call below
        WeakReference<ClassLoader> gone = callFromALoaderOfItsOwn();
        awaitCollectedWhileTheTimerRuns(gone);
    }

    /**
     * A thread copies the inheritable thread locals of the thread that makes it (a logging library's
     * context, say, holding a bundle's object): the timer's, made by the call that first needs it,
     * must not, for as long as later calls keep it running.
     */
    @Test
    void theTimerKeepsNoInheritableThreadLocalOfTheCallerThatMadeIt() throws Exception {
        awaitNoTimer(); // made by the call below
        WeakReference<ClassLoader> gone = callWithAnInheritedValueOfALoaderOfItsOwn();
        awaitCollectedWhileTheTimerRuns(gone);
    }

    /** Waits until the loader is collected while a later call keeps the timer thread running. */
    private void awaitCollectedWhileTheTimerRuns(WeakReference<ClassLoader> gone) throws Exception {
        CompletableFuture<ByteBuf> later = call(30_000); // keeps the timer running
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                System.gc();
                return gone.get() == null;
            });
        } finally {
            stuck.complete("done");
        }
        later.get(5, TimeUnit.SECONDS).release();
    }

    /** A stage complete when the method returns needs no guard: no timer thread is started for it. */
    @Test
    void aCallAnsweredAtOnceStartsNoTimer() throws Exception {
        awaitNoTimer();
        stuck.complete("at once");

        call(30_000).get(5, TimeUnit.SECONDS).release();

        assertThat(timerRuns()).isFalse();
    }

    private static void awaitNoTimer() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !timerRuns());
    }

    private static boolean timerRuns() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().equals(CallTimer.THREAD));
    }

    private WeakReference<ClassLoader> callFromALoaderOfItsOwn() throws Exception {
        OwnLoader loader = new OwnLoader();
        CompletableFuture<?> answer = (CompletableFuture<?>) loader.frame().apply(() -> call(50));
        await().until(answer::isDone);
        return new WeakReference<>(loader);
    }

    private WeakReference<ClassLoader> callWithAnInheritedValueOfALoaderOfItsOwn() throws Exception {
        OwnLoader loader = new OwnLoader();
        INHERITED.set(loader.frame());
        CompletableFuture<ByteBuf> answer;
        try {
            answer = call(50);
        } finally {
            INHERITED.remove();
        }
        await().until(answer::isDone);
        return new WeakReference<>(loader);
    }

    private CompletableFuture<ByteBuf> call(int timeoutMillis) {
        int command = Rpc.command(Stuck.class, Stuck.class.getMethods()[0]);
        Message request = Message.request("test.stuck", command, 1, timeoutMillis, Unpooled.wrappedBuffer(NO_ARGUMENTS))
                .withSource(5);
        try {
            return handler.handle(request).toCompletableFuture();
        } catch (Exception e) {
            throw new AssertionError("the handler refused the call", e);
        } finally {
            request.release();
        }
    }
}
