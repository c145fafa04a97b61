package io.msf.agent.internal.broker;

import io.msf.protocol.api.Message;
import io.msf.timer.api.Timeout;
import java.util.concurrent.CompletableFuture;

/**
 * A request the broker forwarded and whose answer it awaits. Exactly one of its answer, its
 * timeout, its destination leaving or its requester leaving settles it, on the thread that owns
 * its requester's {@link OutstandingRequests}: each first removes it from there, and only the one
 * that succeeds acts.
 */
final class PendingRequest implements Runnable {

    final Broker broker;
    final Peer requester;
    final Peer destination;
    final int command;
    final long sequence;
    final int timeoutMillis;
    /**
     * System.nanoTime() when it was made: its latency counts from here, and so does its deadline on
     * a loop with the system ticker.
     */
    final long startNanos = System.nanoTime();
    /** Completed with the answer for a requester in the container; null for a connection. */
    final CompletableFuture<Message> future;
    /** The timer service's timeout, for requests of peers without an event loop. */
    private volatile Timeout timer;

    // A connection's requests are timed on its event loop in lanes of equal timeouts (Deadlines):
    // these link the request into its lane, and are only touched on that loop.
    Deadlines.Lane lane;
    PendingRequest older;
    PendingRequest newer;
    long deadlineNanos;
    /** The next request in its bucket of the requester's {@link RequestTable}; on that loop only. */
    PendingRequest nextInTable;

    PendingRequest(Broker broker, Peer requester, Peer destination, int command, long sequence, int timeoutMillis,
            CompletableFuture<Message> future) {
        this.broker = broker;
        this.requester = requester;
        this.destination = destination;
        this.command = command;
        this.sequence = sequence;
        this.timeoutMillis = timeoutMillis;
        this.future = future;
    }

    /** True for the one caller that settles this request; only on its requester's owner thread. */
    boolean settle() {
        if (!requester.outstanding.remove(this)) {
            return false;
        }
        destination.untrack(this);
        return true;
    }

    void timer(Timeout scheduled) {
        timer = scheduled;
    }

    void cancelTimer() {
        Timeout scheduled = timer;
        if (scheduled != null) {
            scheduled.cancel();
        }
    }

    /** The timer service's timeout ran out. */
    @Override
    public void run() {
        broker.timedOut(this);
    }

    @Override
    public String toString() {
        return "timeout of request " + sequence + " from " + requester.label() + " to " + destination.label();
    }
}
