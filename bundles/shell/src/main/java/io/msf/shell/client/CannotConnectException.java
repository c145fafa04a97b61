package io.msf.shell.client;

/** Nothing was run: the console socket could not be reached or refused this client. */
final class CannotConnectException extends Exception {

    private static final long serialVersionUID = 1L;

    CannotConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
