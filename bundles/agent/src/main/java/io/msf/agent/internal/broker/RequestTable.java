package io.msf.agent.internal.broker;

import java.util.ArrayList;
import java.util.List;

/**
 * A connection's outstanding requests by sequence: a hash table chained through the requests
 * themselves ({@link PendingRequest#nextInTable}), so that adding, finding and removing one
 * allocates nothing. A {@code HashMap<Long, PendingRequest>} boxed the sequence of every reply
 * looked up and allocated a node per request, a sixth of what the agent allocated per routed
 * request. Netty's LongObjectHashMap boxes nothing either, but its open addressing keeps
 * consecutive sequences in one run of slots, and removing the oldest of a window of requests
 * shifts the whole run. Only the connection's event loop uses it.
 */
final class RequestTable {

    private static final int SMALLEST = 16;

    private PendingRequest[] buckets = new PendingRequest[SMALLEST];
    private int size;
    /** Removals in a row that left the table under an eighth full. */
    private int sparseRemovals;

    /** Adds {@code pending} unless a request with its sequence is in the table already. */
    boolean putIfAbsent(PendingRequest pending) {
        int index = index(pending.sequence, buckets.length);
        for (PendingRequest at = buckets[index]; at != null; at = at.nextInTable) {
            if (at.sequence == pending.sequence) {
                return false;
            }
        }
        pending.nextInTable = buckets[index];
        buckets[index] = pending;
        if (++size > buckets.length - (buckets.length >>> 2)) {
            resize(buckets.length << 1);
        }
        return true;
    }

    PendingRequest get(long sequence) {
        for (PendingRequest at = buckets[index(sequence, buckets.length)]; at != null; at = at.nextInTable) {
            if (at.sequence == sequence) {
                return at;
            }
        }
        return null;
    }

    /** Removes exactly {@code pending}: false if it is not in the table. */
    boolean remove(PendingRequest pending) {
        int index = index(pending.sequence, buckets.length);
        PendingRequest previous = null;
        for (PendingRequest at = buckets[index]; at != null; previous = at, at = at.nextInTable) {
            if (at == pending) {
                if (previous == null) {
                    buckets[index] = at.nextInTable;
                } else {
                    previous.nextInTable = at.nextInTable;
                }
                at.nextInTable = null;
                size--;
                shrinkIfLongSparse();
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    /** The number of buckets (for tests). */
    int capacity() {
        return buckets.length;
    }

    List<PendingRequest> values() {
        List<PendingRequest> values = new ArrayList<>(size);
        for (PendingRequest head : buckets) {
            for (PendingRequest at = head; at != null; at = at.nextInTable) {
                values.add(at);
            }
        }
        return values;
    }

    /**
     * Halves the table once it has stayed under an eighth full for four times its capacity in
     * removals, so that one burst does not pin a large table for good. Not at once: a pipelining
     * peer's window fills and drains the table at every burst, and shrinking it as it drains
     * would have it grow again at the next, a copy of the table each time.
     */
    private void shrinkIfLongSparse() {
        if (buckets.length == SMALLEST || size >= buckets.length >>> 3) {
            sparseRemovals = 0;
        } else if (++sparseRemovals >= buckets.length << 2) {
            sparseRemovals = 0;
            resize(buckets.length >>> 1);
        }
    }

    private void resize(int capacity) {
        PendingRequest[] resized = new PendingRequest[capacity];
        for (PendingRequest head : buckets) {
            PendingRequest at = head;
            while (at != null) {
                PendingRequest next = at.nextInTable;
                int index = index(at.sequence, capacity);
                at.nextInTable = resized[index];
                resized[index] = at;
                at = next;
            }
        }
        buckets = resized;
    }

    /**
     * Fibonacci hashing: the top bits of the sequence times the golden ratio. Consecutive sequences
     * land in distinct buckets, and so do sequences that step by a power of two.
     */
    private static int index(long sequence, int capacity) {
        return (int) ((sequence * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(capacity)));
    }
}
