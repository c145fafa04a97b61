package io.msf.agent.internal.broker;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests a connection was given by requesters that have left since, and that it may still
 * answer. Its answers carry only the requester's id and sequence (docs/protocol.md section 8): a new
 * connection under that id, numbering its requests the same way (a process restarted with a fixed
 * id, a client counting from 1), would otherwise have such an answer taken for the answer to its
 * own request. Each is kept until the connection answers it (the answer is dropped) or its timeout
 * has passed, when the requester would have stopped waiting anyway; meanwhile a request reusing its
 * id and sequence is refused. Nothing is allocated while there are none, the usual case.
 */
final class OrphanedRequests {

    private record Key(int requester, long sequence) {
    }

    /** Fewer than this are never swept for expired ones. */
    private static final int FIRST_SWEEP = 64;

    /** Each orphan's deadline, System.nanoTime() based. */
    private final ConcurrentHashMap<Key, Long> deadlines = new ConcurrentHashMap<>();
    /**
     * The size at which the next add sweeps out the expired ones: twice what the last sweep left,
     * so that a requester leaving thousands of requests behind costs a few sweeps, not one per request.
     */
    private volatile int sweepAt = FIRST_SWEEP;

    /** Keeps the request of a departed {@code requester} until {@code deadlineNanos}; expired ones go now and then. */
    void add(int requester, long sequence, long deadlineNanos, long nowNanos) {
        if (deadlines.size() >= sweepAt) {
            deadlines.values().removeIf(deadline -> deadline - nowNanos <= 0);
            sweepAt = Math.max(FIRST_SWEEP, 2 * deadlines.size());
        }
        if (deadlineNanos - nowNanos > 0) {
            deadlines.put(new Key(requester, sequence), deadlineNanos);
        }
    }

    /** True if a departed requester's request with this id and sequence may still be answered. */
    boolean awaited(int requester, long sequence, long nowNanos) {
        if (deadlines.isEmpty()) {
            return false;
        }
        Key key = new Key(requester, sequence);
        Long deadline = deadlines.get(key);
        if (deadline == null) {
            return false;
        }
        if (deadline - nowNanos > 0) {
            return true;
        }
        deadlines.remove(key, deadline);
        return false;
    }

    /** True if an answer with this id and sequence answers a departed requester's request: then it is forgotten. */
    boolean answered(int requester, long sequence, long nowNanos) {
        if (deadlines.isEmpty()) {
            return false;
        }
        Long deadline = deadlines.remove(new Key(requester, sequence));
        return deadline != null && deadline - nowNanos > 0;
    }

    int size() {
        return deadlines.size();
    }
}
