package io.msf.client.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The stage of an asynchronous call ({@code requestAsync}, {@code notify}) as the application holds
 * it. The call's outcome arrives on the I/O thread, and is handed to the callback executor to
 * complete the stage ({@link Arrivals}), so that the stage's dependent actions run there and never on
 * the I/O thread.
 *
 * <p>A handler, listener or other callback of the client that waits for the stage ({@link #join},
 * {@link #get}) would wait for that hand-over, queued behind the callback itself: on the client's
 * own single callback thread, for ever. So a wait on a thread running a callback of the client
 * completes the stages of the client's calls itself as their outcomes arrive, oldest first, until its
 * own is done: that thread is a callback thread too, so the dependent actions still run where they
 * are promised (inside the waiting callback); the hand-overs, when their turn comes, find the stages
 * completed and do nothing. Stages made from this one ({@code thenApply}, {@code thenCompose},
 * {@code thenCombine}...) are of this class too, and a wait for one of them does the same, whichever
 * of the client's calls it hangs on. Any other thread waits for the hand-over, as with a plain
 * CompletableFuture.
 *
 * <p>A stage the JDK makes ({@code CompletableFuture.allOf} and {@code anyOf}, or one made from a
 * future of the application's) is a plain CompletableFuture, whose wait cannot be taken over: a
 * callback that waits for one waits for ever. It waits for the client's stages one after the other
 * instead, or for one they are combined into.
 *
 * <p>On the I/O thread, which brings the outcomes, a wait for a stage not yet complete would never
 * end: it is refused at once with an IllegalStateException, as a blocking request is there.
 */
final class CallbackFuture<T> extends CompletableFuture<T> {

    private final ClientThreads threads;
    /** The call for people, e.g. {@code request to dlna, command 3}. */
    private final String what;
    /** The call's outcome; null in a stage made from another. */
    private final Outcome<T> outcome;
    /**
     * Set once this stage's completion wakes the waiting callbacks: one action for the stage, however
     * often a callback waits for it (a loop of short timed gets).
     */
    private volatile boolean wakesWaiting;

    private CallbackFuture(ClientThreads threads, String what, Outcome<T> outcome) {
        this.threads = threads;
        this.what = what;
        this.outcome = outcome;
    }

    /**
     * The application's stage of a call whose outcome {@code arrival} brings.
     *
     * @param what the call for people, e.g. {@code request to dlna, command 3}
     * @param unwanted takes a result the application no longer wants (it cancelled the stage)
     */
    static <T> CallbackFuture<T> of(CompletableFuture<T> arrival, ClientThreads threads, String what,
            Consumer<? super T> unwanted) {
        CallbackFuture<T> stage = new CallbackFuture<>(threads, what, new Outcome<>(arrival, unwanted));
        arrival.whenComplete((result, failure) -> threads.arrivals().arrived(stage));
        return stage;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CallbackFuture<>(threads, what, null);
    }

    @Override
    public T join() {
        if (completesHere()) {
            try {
                threads.arrivals().await(this, Long.MAX_VALUE, false);
            } catch (InterruptedException cannotBe) {
                throw new AssertionError("an uninterruptible wait was interrupted", cannotBe);
            }
        }
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (completesHere()) {
            threads.arrivals().await(this, Long.MAX_VALUE, true);
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!completesHere()) {
            return super.get(timeout, unit);
        }
        threads.arrivals().await(this, unit.toNanos(timeout), true);
        return super.get(0, TimeUnit.NANOSECONDS); // the result, or the TimeoutException of a stage not done
    }

    /**
     * Completes this stage (a call's own) with the outcome that arrived; once, by the hand-over or a
     * waiting callback ({@link Arrivals}).
     */
    void deliver() {
        T result;
        try {
            result = outcome.arrival().join();
        } catch (CompletionException | CancellationException failure) {
            completeExceptionally(Failures.unwrap(failure));
            return;
        }
        if (!complete(result) && result != null) {
            outcome.unwanted().accept(result);
        }
    }

    /**
     * Whether a wait for this stage must complete the client's stages itself (see the class comment):
     * on a callback thread of the client, while this stage is not done. Then its completion wakes the wait.
     *
     * @throws IllegalStateException on the I/O thread, while this stage is not done
     */
    private boolean completesHere() {
        if (isDone()) {
            return false;
        }
        if (threads.loop().inEventLoop()) {
            throw new IllegalStateException(what + ": waiting for its stage would block the client's I/O"
                    + " thread, which completes it (a handler or listener on the I/O thread must not block);"
                    + " chain a dependent action (thenAccept...) instead");
        }
        if (!threads.runsCallbacks()) {
            return false;
        }
        if (!wakesWaiting) {
            wakesWaiting = true;
            // done by another thread than the waiting one (see Arrivals.await)
            whenComplete((result, failure) -> threads.arrivals().wakeWaiting());
        }
        return true;
    }

    /** A call's outcome, and what takes a result the application no longer wants. */
    private record Outcome<T>(CompletableFuture<T> arrival, Consumer<? super T> unwanted) {
    }
}
