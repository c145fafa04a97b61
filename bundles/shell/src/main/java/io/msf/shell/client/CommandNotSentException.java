package io.msf.shell.client;

import java.io.IOException;

/**
 * A command could not be sent: the container had closed the connection (stopping, or stopped), so
 * it was not run, which {@code exec} tells by its exit code too.
 */
final class CommandNotSentException extends IOException {

    private static final long serialVersionUID = 1L;

    CommandNotSentException(String message, Throwable cause) {
        super(message, cause);
    }
}
