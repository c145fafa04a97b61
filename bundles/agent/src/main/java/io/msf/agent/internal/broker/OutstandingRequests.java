package io.msf.agent.internal.broker;

import java.util.List;

/**
 * The requests one peer sent through the broker and whose answers it awaits, by sequence, with
 * their deadlines. Each belongs to one thread, its owner, and is read and changed there only:
 * every settlement of a request (its answer, its timeout, its destination or its requester leaving)
 * is {@linkplain #execute handed} to the requester's owner first.
 *
 * <p>A connection's requests belong to its event loop ({@link LoopOutstandingRequests}), so that the
 * loop that reads a request also times it and writes its answer, with plain collections and no
 * timer thread; the answer crosses from the responder's loop once, as its write would anyway. The
 * requests of peers without a loop of their own (bundles' clients, the uplink) are settled on
 * whichever thread gets there first ({@link SharedOutstandingRequests}).
 */
abstract class OutstandingRequests {

    /**
     * Runs {@code task} on the owner: at once if the caller is the owner, else queued to it.
     *
     * @return false if the owner runs nothing any more (its event loop shut down): the task is dropped
     */
    abstract boolean execute(Runnable task);

    /** Registers {@code pending} (on the owner); false if its sequence is already outstanding. */
    abstract boolean add(PendingRequest pending);

    /**
     * Starts the deadline of {@code pending} (on the owner, once it is registered): when it runs out
     * the request goes to {@link Broker#timedOut}, on the owner.
     *
     * @throws IllegalStateException if it cannot be timed (the timer service is full or gone, or the
     *     connection has {@link LoopOutstandingRequests#MAX_PER_CONNECTION} requests outstanding), its
     *     message saying which, for the requester
     */
    abstract void startDeadline(PendingRequest pending, long millis);

    /** The request outstanding under {@code sequence} (on the owner), or null. */
    abstract PendingRequest get(long sequence);

    /** Removes {@code pending} and stops its deadline (on the owner); true only for the first call. */
    abstract boolean remove(PendingRequest pending);

    /** A copy of the outstanding requests (on the owner). */
    abstract List<PendingRequest> snapshot();

    /** How many requests are outstanding (on the owner). */
    abstract int size();

    /** The requester left and its requests are settled: drops what times them (on the owner). */
    abstract void departed();
}
