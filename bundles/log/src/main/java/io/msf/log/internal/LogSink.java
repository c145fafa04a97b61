package io.msf.log.internal;

import java.io.IOException;

/** Where formatted records go; used by the writer thread only, so implementations need no locking. */
interface LogSink extends AutoCloseable {

    /** Takes one formatted record, line separators included; it may be held until {@link #flush}. */
    void write(String record) throws IOException;

    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
