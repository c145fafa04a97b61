package io.msf.upnp.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts one kind of exchange, in total and since the last summary. The first exchange of a kind is
 * worth an INFO line (the console shows the services talking); the following ones go to DEBUG and
 * into the periodic summary, so the console stays usable.
 */
final class Exchanges {

    private final AtomicLong total = new AtomicLong();
    private final AtomicLong sinceSummary = new AtomicLong();

    /** Counts one; true if it is the first ever. */
    boolean countFirst() {
        sinceSummary.incrementAndGet();
        return total.incrementAndGet() == 1;
    }

    long total() {
        return total.get();
    }

    /** The count since the previous call. */
    long drain() {
        return sinceSummary.getAndSet(0);
    }
}
