package io.msf.shell.protocol;

import java.io.IOException;

/** The peer sent something the protocol does not allow; the connection cannot go on. */
public final class ProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
