package io.msf.net.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An endpoint that could not be opened. Its message names the endpoint, for a log line or a caller
 * of {@code NetworkService.open}; its {@link #reason()} says only why, for a text that names the
 * endpoint already (the problem a configured endpoint publishes, the error of a refused change).
 */
final class OpenFailure extends UncheckedIOException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /** @param label how the endpoint is named ({@link EndpointOpener#label}) */
    OpenFailure(String label, String reason, IOException cause) {
        super(label + ": " + reason, cause);
        this.reason = reason;
    }

    /** Why it could not be opened, without naming the endpoint. */
    String reason() {
        return reason;
    }

    /** Why {@code e} happened: an open's bare reason, else its message as it is. */
    static String reasonOf(RuntimeException e) {
        return e instanceof OpenFailure failure ? failure.reason : e.getMessage();
    }

    /**
     * {@code e} as an open failure of the endpoint {@code label}: the Unix-socket files name the endpoint
     * as the opener does, and their reason is what follows.
     */
    static OpenFailure of(String label, UncheckedIOException e) {
        if (e instanceof OpenFailure failure) {
            return failure;
        }
        String message = String.valueOf(e.getMessage());
        String prefix = label + ": ";
        return new OpenFailure(label, message.startsWith(prefix) ? message.substring(prefix.length()) : message,
                e.getCause());
    }
}
