package io.msf.agent.internal.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests of a peer without an event loop of its own (a bundle's client, the uplink): they
 * are made on the callers' threads and answered on the responders', so they are kept in a
 * concurrent map, and each is timed by the timer service. Every thread is the owner: whichever
 * removes a request first settles it.
 */
final class SharedOutstandingRequests extends OutstandingRequests {

    private final Broker broker;
    private final ConcurrentHashMap<Long, PendingRequest> bySequence = new ConcurrentHashMap<>();

    SharedOutstandingRequests(Broker broker) {
        this.broker = broker;
    }

    @Override
    boolean execute(Runnable task) {
        task.run();
        return true;
    }

    @Override
    boolean add(PendingRequest pending) {
        return bySequence.putIfAbsent(pending.sequence, pending) == null;
    }

    @Override
    void startDeadline(PendingRequest pending, long millis) {
        try {
            pending.timer(broker.schedule(pending, millis));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the agent cannot time the request: " + e.getMessage(), e);
        }
    }

    @Override
    PendingRequest get(long sequence) {
        return bySequence.get(sequence);
    }

    @Override
    boolean remove(PendingRequest pending) {
        if (!bySequence.remove(pending.sequence, pending)) {
            return false;
        }
        pending.cancelTimer();
        return true;
    }

    @Override
    List<PendingRequest> snapshot() {
        return new ArrayList<>(bySequence.values());
    }

    @Override
    int size() {
        return bySequence.size();
    }

    @Override
    void departed() {
        // each request's timer was cancelled as it was settled
    }
}
