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
 * complete the stage, so that the stage's dependent actions run there and never on the I/O thread.
 *
 * <p>A handler, listener or other callback of the client that waits for the stage ({@link #join},
 * {@link #get}) would wait for that hand-over, queued behind the callback itself: on the client's
 * own single callback thread, for ever. So a wait on a thread running a callback of the client
 * waits for the outcome itself and completes the stage there. That thread is a callback thread too,
 * so the dependent actions still run where they are promised (inside the waiting callback); the
 * hand-over, when its turn comes, finds the outcome taken and does nothing. Stages made from this
 * one ({@code thenApply}...) are of this class too, and a wait for one of them takes the outcome over
 * in the same way. Any other thread waits for the hand-over, as with a plain CompletableFuture.
 *
 * <p>On the I/O thread, which brings the outcome, a wait for a stage not yet complete would never
 * end: it is refused at once with an IllegalStateException, as a blocking request is there.
 */
final class CallbackFuture<T> extends CompletableFuture<T> {

    /** The stage the call's outcome completes: this one, or the one this stage was made from. */
    private final CallbackFuture<?> root;
    /** How the outcome reaches the root; null in a stage made from it. */
    private final Delivery<T> delivery;

    private CallbackFuture(CallbackFuture<?> root, Delivery<T> delivery) {
        this.root = root == null ? this : root;
        this.delivery = delivery;
    }

    /**
     * The application's stage of a call whose outcome {@code arrival} brings.
     *
     * @param what the call for people, e.g. {@code request to dlna, command 3}
     * @param unwanted takes a result the application no longer wants (it cancelled the stage)
     */
    static <T> CallbackFuture<T> of(CompletableFuture<T> arrival, ClientThreads threads, String what,
            Consumer<? super T> unwanted) {
        CallbackFuture<T> stage = new CallbackFuture<>(null, new Delivery<>(arrival, threads, what, unwanted));
        arrival.whenComplete((result, failure) -> threads.callbacks().runSurely(stage::deliver));
        return stage;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CallbackFuture<>(root, null);
    }

    @Override
    public T join() {
        if (!isDone() && root.takesOverHere()) {
            try {
                root.delivery.arrival.join();
            } catch (CompletionException | CancellationException failed) {
                // arrived: the stage fails with it, below
            }
            root.deliver();
        }
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (!isDone() && root.takesOverHere()) {
            try {
                root.delivery.arrival.get();
            } catch (ExecutionException | CancellationException failed) {
                // arrived: the stage fails with it, below
            }
            root.deliver();
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (isDone()) {
            return super.get();
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (root.takesOverHere()) {
            try {
                root.delivery.arrival.get(timeout, unit);
            } catch (ExecutionException | CancellationException failed) {
                // arrived: the stage fails with it, below
            }
            root.deliver();
        }
        return super.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Completes this stage (a root) with the outcome, unless a waiting callback has taken it over already. */
    private void deliver() {
        if (!delivery.taken.compareAndSet(false, true)) {
            return;
        }
        T result;
        try {
            result = delivery.arrival.join();
        } catch (CompletionException | CancellationException failure) {
            completeExceptionally(Failures.unwrap(failure));
            return;
        }
        if (!complete(result) && result != null) {
            delivery.unwanted.accept(result);
        }
    }

    /**
     * Whether a wait for this stage (a root) or one made from it must wait for the outcome itself and
     * take it over (see the class comment): on a callback thread of the client, while nobody has taken
     * the outcome yet.
     *
     * @throws IllegalStateException on the I/O thread, while the outcome is still to complete the stage
     */
    private boolean takesOverHere() {
        if (isDone()) {
            return false;
        }
        if (delivery.threads.loop().inEventLoop()) {
            throw new IllegalStateException(delivery.what + ": waiting for its stage would block the client's I/O"
                    + " thread, which completes it (a handler or listener on the I/O thread must not block);"
                    + " chain a dependent action (thenAccept...) instead");
        }
        return !delivery.taken.get() && delivery.threads.runsCallbacks();
    }

    /** A root's: the call's outcome, and whether it has been taken to complete the stage. */
    private static final class Delivery<T> {
        final CompletableFuture<T> arrival;
        final ClientThreads threads;
        final String what;
        final Consumer<? super T> unwanted;
        /** Set by whichever completes the stage: the hand-over or a waiting callback. */
        final AtomicBoolean taken = new AtomicBoolean();

        Delivery(CompletableFuture<T> arrival, ClientThreads threads, String what, Consumer<? super T> unwanted) {
            this.arrival = arrival;
            this.threads = threads;
            this.what = what;
            this.unwanted = unwanted;
        }
    }
}
