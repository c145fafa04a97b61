package io.msf.agent.internal.broker;

import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A connection's outstanding requests, owned by its event loop: the loop that reads a request
 * registers and times it, and the responder's loop hands the answer over once, to be settled and
 * written here. Plain collections, no locks: only the owner touches them.
 */
final class LoopOutstandingRequests extends OutstandingRequests {

    /**
     * The most requests one connection may have outstanding; the next is refused with OVERLOADED
     * until some are answered. The timer service's maxPending bounded them while each request had a
     * timer; without this, a peer sending requests with long timeouts to a destination that never
     * answers would grow the map until the agent ran out of memory.
     */
    static final int MAX_PER_CONNECTION = 65_536;

    private final EventExecutor loop;
    private final RequestTable bySequence = new RequestTable();
    private final Deadlines deadlines;

    /** @param expired told on {@code loop} about each request whose deadline passed */
    LoopOutstandingRequests(EventExecutor loop, Consumer<PendingRequest> expired) {
        this.loop = loop;
        this.deadlines = new Deadlines(loop, expired);
    }

    @Override
    boolean execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return true;
        }
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    boolean add(PendingRequest pending) {
        assert loop.inEventLoop();
        return bySequence.putIfAbsent(pending);
    }

    @Override
    void startDeadline(PendingRequest pending, long millis) {
        if (bySequence.size() > MAX_PER_CONNECTION) {
            throw new IllegalStateException("the connection has " + MAX_PER_CONNECTION
                    + " requests outstanding, the most it may have; wait for answers");
        }
        deadlines.add(pending, TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Override
    PendingRequest get(long sequence) {
        assert loop.inEventLoop();
        return bySequence.get(sequence);
    }

    @Override
    boolean remove(PendingRequest pending) {
        assert loop.inEventLoop();
        if (!bySequence.remove(pending)) {
            return false;
        }
        deadlines.remove(pending);
        return true;
    }

    @Override
    List<PendingRequest> snapshot() {
        assert loop.inEventLoop();
        return bySequence.values();
    }

    @Override
    int size() {
        assert loop.inEventLoop();
        return bySequence.size();
    }

    @Override
    void departed() {
        assert loop.inEventLoop();
        deadlines.clear();
    }
}
