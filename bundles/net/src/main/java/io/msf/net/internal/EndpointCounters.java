package io.msf.net.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The running figures of one endpoint; written from its event loops, read by {@code endpoints()}. */
final class EndpointCounters {

    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder framesIn = new LongAdder();
    final LongAdder errors = new LongAdder();
    /** Accepted connections still open (servers). */
    final AtomicInteger connections = new AtomicInteger();
    private volatile String lastError = "";

    void error(String message) {
        errors.increment();
        lastError = message;
    }

    String lastError() {
        return lastError;
    }
}
