package io.msf.log.internal;

import java.io.IOException;

/** A sink for tests, called {@code name} in the writer's lines; flush and close do nothing unless overridden. */
abstract class NamedSink implements LogSink {

    private final String name;

    NamedSink(String name) {
        this.name = name;
    }

    @Override
    public void flush() throws IOException {
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return name;
    }
}
