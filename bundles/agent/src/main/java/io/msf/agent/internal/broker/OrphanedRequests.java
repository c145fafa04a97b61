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
 *
 * <p>Bounded: a requester that leaves requests with a connection that never answers them, comes
 * back and does it again, each time with timeouts of weeks, would otherwise grow the map for as
 * long. Past {@link #MAX_ORPHANS} a further orphan is not kept (its answer is then taken for a
 * request of a successor that reuses its id and sequence, as without this class) until some have
 * expired.
 */
final class OrphanedRequests {

    private record Key(int requester, long sequence) {
    }

    /**
     * The most orphans a connection keeps, as many as one connection may have requests outstanding
     * ({@link LoopOutstandingRequests#MAX_PER_CONNECTION}).
     */
    static final int MAX_ORPHANS = LoopOutstandingRequests.MAX_PER_CONNECTION;

    /** Fewer than this are never swept for expired ones. */
    private static final int FIRST_SWEEP = 64;

    /** How often a full map is swept at most: each sweep reads all of it. */
    private static final long FULL_SWEEP_INTERVAL_NANOS = 1_000_000_000L;

    /** Each orphan's deadline, System.nanoTime() based. */
    private final ConcurrentHashMap<Key, Long> deadlines = new ConcurrentHashMap<>();
    /**
     * The size at which the next add sweeps out the expired ones: twice what the last sweep left,
     * so that a requester leaving thousands of requests behind costs a few sweeps, not one per request.
     */
    private volatile int sweepAt = FIRST_SWEEP;
    /** When the last sweep ran; there was one before the map could be full. */
    private volatile long lastSweepNanos;

    /**
     * Keeps the request of a departed {@code requester} until {@code deadlineNanos}; expired ones go
     * now and then.
     *
     * @return false if it is not kept: {@link #MAX_ORPHANS} are, none of them known to have expired
     */
    boolean add(int requester, long sequence, long deadlineNanos, long nowNanos) {
        int size = deadlines.size();
        if (size >= sweepAt || size >= MAX_ORPHANS && nowNanos - lastSweepNanos >= FULL_SWEEP_INTERVAL_NANOS) {
            deadlines.values().removeIf(deadline -> deadline - nowNanos <= 0);
            sweepAt = Math.max(FIRST_SWEEP, 2 * deadlines.size());
            lastSweepNanos = nowNanos;
        }
        if (deadlineNanos - nowNanos <= 0) {
            return true; // nobody waits for its answer any more: nothing to keep
        }
        if (deadlines.size() >= MAX_ORPHANS) {
            return false;
        }
        deadlines.put(new Key(requester, sequence), deadlineNanos);
        return true;
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
