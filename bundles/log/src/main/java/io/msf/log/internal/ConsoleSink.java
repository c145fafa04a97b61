package io.msf.log.internal;

import java.io.PrintStream;

/** Records on a console stream, printed a batch at a time. */
final class ConsoleSink implements LogSink {

    private final PrintStream out;
    private final StringBuilder pending = new StringBuilder();

    ConsoleSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void write(String record) {
        pending.append(record);
    }

    @Override
    public void flush() {
        if (pending.length() > 0) {
            out.print(pending);
            out.flush();
            pending.setLength(0);
        }
    }

    @Override
    public String toString() {
        return "the console";
    }

    @Override
    public void close() {
        flush(); // the stream belongs to the JVM, not to this sink
    }
}
