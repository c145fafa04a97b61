package io.msf.protocol.api;

/**
 * Why something failed, as carried by ERROR frames. Every frame of another type carries {@link #OK}.
 */
public enum ErrorCode {
    /** No error: the code of every frame but ERROR. */
    OK(0, false),
    /** No REPLY came within the request's timeout. */
    TIMEOUT(1, true),
    /** The destination is not connected (never was, or left). */
    PEER_OFFLINE(2, true),
    /** The id claimed in a HELLO is held by another peer or is in the agent's range; or a REPLACE took it over. */
    DUPLICATE_ID(3, false),
    /** The name claimed in a HELLO is held by another peer; or a REPLACE took it over. */
    DUPLICATE_NAME(4, false),
    /** A frame broke the framing rules; the connection is closed. */
    BAD_FRAME(5, false),
    /** No protocol version in common, or a frame in a version not agreed on; the connection is closed. */
    UNSUPPORTED_VERSION(6, false),
    /** The HELLO's token is missing or wrong, or a frame came before the HELLO was accepted. */
    UNAUTHORIZED(7, false),
    /** A frame is larger than the receiving end accepts. */
    TOO_LARGE(8, true),
    /** A queue is over its high-water mark: the message was refused, or the connection is cut. */
    OVERLOADED(9, true),
    /** The destination has no handler for the request's command. */
    NO_HANDLER(10, true),
    /** The destination's handler failed; the detail says how. */
    REMOTE_ERROR(11, true),
    /** A peer name or topic breaks the syntax rules of {@link Topic}. */
    INVALID_SUBJECT(12, true);

    private static final ErrorCode[] BY_CODE = new ErrorCode[values().length];

    static {
        for (ErrorCode error : values()) {
            BY_CODE[error.code] = error;
        }
    }

    private final int code;
    private final boolean handlerMayAnswer;

    ErrorCode(int code, boolean handlerMayAnswer) {
        this.code = code;
        this.handlerMayAnswer = handlerMayAnswer;
    }

    /** The code on the wire. */
    public int code() {
        return code;
    }

    /**
     * Whether a handler's failure reaches the requester with this code (docs/protocol.md section 8):
     * true for the outcomes of a message, false for {@link #OK} and for the codes about a connection
     * and its frames ({@link #DUPLICATE_ID}, {@link #DUPLICATE_NAME}, {@link #BAD_FRAME},
     * {@link #UNSUPPORTED_VERSION}, {@link #UNAUTHORIZED}). Passed on, those would tell the requester
     * that its own connection is at fault; a handler failing with one answers REMOTE_ERROR instead,
     * in the words of {@link HandlerFailure}.
     *
     * @since 1.1
     */
    public boolean handlerMayAnswer() {
        return handlerMayAnswer;
    }

    /** The error with this code, or null if none has it (any int is accepted). */
    public static ErrorCode fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
