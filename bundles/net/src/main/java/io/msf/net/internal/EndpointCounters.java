package io.msf.net.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running figures of one endpoint; written from its event loops, read by {@code endpoints()}.
 * A client that keeps connecting keeps its figures across attempts.
 */
final class EndpointCounters {

    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder framesIn = new LongAdder();
    final LongAdder errors = new LongAdder();
    /** Accepted connections still open (servers). */
    final AtomicInteger connections = new AtomicInteger();
    /**
     * Set once a failed handler setup was logged with its stack trace: a setup that fails at every
     * connection (or connection attempt) shows it once.
     */
    final AtomicBoolean setupFailureTraced = new AtomicBoolean();
    private volatile String lastError = "";

    void error(String message) {
        errors.increment();
        lastError = message;
    }

    String lastError() {
        return lastError;
    }
}
