package io.msf.client.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The stage of an asynchronous call ({@code requestAsync}, {@code notify}) as the application holds
 * it. The call's outcome arrives on the I/O thread, and is handed to the callback executor to
 * complete the stage ({@link Arrivals}), so that the stage's dependent actions run there and never on
 * the I/O thread.
 *
 * <p>A handler, listener or other callback of the client that waits for the stage ({@link #join},
 * {@link #get}) would wait for that hand-over, queued behind the callback itself: on the client's
 * own single callback thread, for ever. So a wait on a thread running a callback of the client takes
 * the outcome of the call its stage was made from itself, once the I/O thread has it, and completes
 * that call's stage there: that thread is a callback thread too, so the dependent actions still run
 * where they are promised (inside the waiting callback), and no action of another call runs there (the
 * callback may hold a lock one of them takes); the hand-over, when its turn comes, finds the stage
 * completed and does nothing. Stages made from this one ({@code thenApply}...) are of this class too,
 * and a wait for one of them takes the same call's outcome. One composed or combined with another call
 * ({@code thenCompose(r -> client.requestAsync(...))}, {@code thenCombine}) still waits after that: then,
 * and only then, the wait completes the client's stages as their outcomes arrive, oldest first, until
 * its own is done ({@link Arrivals}), running their actions inside the waiting callback. Any other
 * thread waits for the hand-over, as with a plain CompletableFuture.
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
    /** The stage of the call this one was made from: this one for a call's own. */
    private final CallbackFuture<?> root;
    /**
     * Set once this stage's completion wakes the waiting callbacks: one action for the stage, however
     * often a callback waits for it (a loop of short timed gets).
     */
    private volatile boolean wakesWaiting;

    private CallbackFuture(ClientThreads threads, String what, Outcome<T> outcome, CallbackFuture<?> root) {
        this.threads = threads;
        this.what = what;
        this.outcome = outcome;
        this.root = root == null ? this : root;
    }

    /**
     * The application's stage of a call whose outcome {@code arrival} brings.
     *
     * @param what the call for people, e.g. {@code request to dlna, command 3}
     * @param unwanted takes a result the application no longer wants (it cancelled the stage)
     */
    static <T> CallbackFuture<T> of(CompletableFuture<T> arrival, ClientThreads threads, String what,
            Consumer<? super T> unwanted) {
        CallbackFuture<T> stage = new CallbackFuture<>(threads, what, new Outcome<>(arrival, unwanted), null);
        arrival.whenComplete((result, failure) -> threads.arrivals().arrived(stage));
        return stage;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CallbackFuture<>(threads, what, null, root);
    }

    @Override
    public T join() {
        if (completesHere()) {
            try {
                completeHere(Long.MAX_VALUE, false);
            } catch (InterruptedException cannotBe) {
                throw new AssertionError("an uninterruptible wait was interrupted", cannotBe);
            }
        }
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (completesHere()) {
            completeHere(Long.MAX_VALUE, true);
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!completesHere()) {
            return super.get(timeout, unit);
        }
        completeHere(unit.toNanos(timeout), true);
        return super.get(0, TimeUnit.NANOSECONDS); // the result, or the TimeoutException of a stage not done
    }

    /**
     * A callback's wait (see the class comment): first the outcome of the call this stage was made from, taken
     * over and completed here, which runs no action but this call's; then, if this stage still waits (it was
     * composed or combined with another call), the client's stages as their outcomes arrive ({@link Arrivals}).
     *
     * @param timeoutNanos {@code Long.MAX_VALUE}: for as long as it takes
     */
    private void completeHere(long timeoutNanos, boolean interruptible) throws InterruptedException {
        long start = System.nanoTime();
        if (!root.takeOver(timeoutNanos, interruptible) || isDone()) {
            return;
        }
        if (!wakesWaiting) {
            wakesWaiting = true;
            // done by another thread than the waiting one (see Arrivals.await)
            whenComplete((result, failure) -> threads.arrivals().wakeWaiting());
        }
        long left = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : timeoutNanos - (System.nanoTime() - start);
        threads.arrivals().await(this, left, interruptible);
    }

    /**
     * Waits for this call's outcome (this is a call's own stage) and completes the stage with it, unless that
     * was done already; false if the outcome did not arrive in time.
     */
    private boolean takeOver(long timeoutNanos, boolean interruptible) throws InterruptedException {
        if (outcome.delivered().get()) {
            return true;
        }
        CompletableFuture<T> arrival = outcome.arrival();
        try {
            if (timeoutNanos == Long.MAX_VALUE) {
                if (interruptible) {
                    arrival.get();
                } else {
                    arrival.join();
                }
            } else {
                arrival.get(timeoutNanos, TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException notYet) {
            return false;
        } catch (ExecutionException | CompletionException | CancellationException failed) {
            // arrived: the stage fails with it, below
        }
        deliver();
        return true;
    }

    /**
     * Completes this stage (a call's own) with the outcome that arrived; once, by the hand-over ({@link Arrivals})
     * or a waiting callback, whichever comes first.
     */
    void deliver() {
        if (!outcome.delivered().compareAndSet(false, true)) {
            return;
        }
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
     * Whether a wait for this stage must complete it itself (see the class comment): on a callback thread of
     * the client, while this stage is not done.
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
        return threads.runsCallbacks();
    }

    /**
     * A call's outcome, what takes a result the application no longer wants, and whether the stage has been
     * completed with it (by the hand-over or a waiting callback).
     */
    private record Outcome<T>(CompletableFuture<T> arrival, Consumer<? super T> unwanted, AtomicBoolean delivered) {

        Outcome(CompletableFuture<T> arrival, Consumer<? super T> unwanted) {
            this(arrival, unwanted, new AtomicBoolean());
        }
    }
}
