package io.msf.protocol.api;

import java.util.Objects;

/**
 * A handler's failure as its requester gets it (docs/protocol.md section 8): the code and the text
 * of the ERROR that answers the request. The agent answers so for a handler in the container and the
 * client library for one in a program on a socket, so that a requester cannot tell where it ran.
 *
 * @param code {@link ErrorCode#REMOTE_ERROR} unless the handler failed with a code it
 *     {@linkplain ErrorCode#handlerMayAnswer may answer} with
 * @param text for people: the failure's words
 * @since 1.2
 */
public record HandlerFailure(ErrorCode code, String text) {

    public HandlerFailure {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(text, "text");
    }

    /**
     * A failure that carries a protocol code (the client library's {@code AgentException}): that code
     * and {@code detail} when a handler may answer with it; else REMOTE_ERROR, the code in front of
     * the detail ({@code UNAUTHORIZED: token expired}).
     *
     * @param detail the failure's words, never null (may be empty)
     */
    public static HandlerFailure of(ErrorCode thrown, String detail) {
        Objects.requireNonNull(detail, "detail");
        return thrown.handlerMayAnswer() ? new HandlerFailure(thrown, detail)
                : new HandlerFailure(ErrorCode.REMOTE_ERROR, thrown + ": " + detail);
    }

    /**
     * Any other failure: REMOTE_ERROR, its full class name and its message if it has one
     * ({@code java.lang.IllegalStateException: boom}). One with a protocol code goes to
     * {@link #of(ErrorCode, String)}: this module does not know its class.
     */
    public static HandlerFailure of(Throwable failure) {
        String message = failure.getMessage();
        return new HandlerFailure(ErrorCode.REMOTE_ERROR,
                failure.getClass().getName() + (message == null ? "" : ": " + message));
    }
}
