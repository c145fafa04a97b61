package io.msf.agent.internal.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

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

    /**
     * Mixed into every sequence before it is hashed. The peer picks the sequences: with a hash it
     * could predict, it could put all its outstanding requests into one bucket and have every
     * reply walk them all (a HashMap would have turned the bucket into a tree).
     */
    private final long seed = ThreadLocalRandom.current().nextLong();
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
     * The top bits of the seeded sequence through MurmurHash3's 64-bit finalizer: every bit of the
     * sequence moves about half of them, so consecutive sequences, and those that step by a power of
     * two, spread over the buckets, and which collide depends on the seed.
     */
    private int index(long sequence, int capacity) {
        long hash = sequence ^ seed;
        hash = (hash ^ (hash >>> 33)) * 0xFF51AFD7ED558CCDL;
        hash = (hash ^ (hash >>> 33)) * 0xC4CEB9FE1A85EC53L;
        hash ^= hash >>> 33;
        return (int) (hash >>> (64 - Integer.numberOfTrailingZeros(capacity)));
    }
}
