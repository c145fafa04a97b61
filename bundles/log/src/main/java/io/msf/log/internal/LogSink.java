package io.msf.log.internal;

import java.io.IOException;

/** Where formatted records go; used by the writer thread only, so implementations need no locking. */
interface LogSink extends AutoCloseable {

    /** Takes one formatted record, line separators included; it may be held until {@link #flush}. */
    void write(String record) throws IOException;

    void flush() throws IOException;

    @Override
    void close() throws IOException;

    /**
     * Where the sink writes, as a writer that takes another's place tells whether both write to the same
     * place ({@link LogWriter#handOver}): two sinks with equal places would overlap there. Its name, unless
     * one place has several names.
     */
    default String place() {
        return toString();
    }
}
