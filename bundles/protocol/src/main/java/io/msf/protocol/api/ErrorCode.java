package io.msf.protocol.api;

/**
 * Why something failed, as carried by ERROR frames. Every frame of another type carries {@link #OK}.
 */
public enum ErrorCode {
    /** No error: the code of every frame but ERROR. */
    OK(0),
    /** No REPLY came within the request's timeout. */
    TIMEOUT(1),
    /** The destination is not connected (never was, or left). */
    PEER_OFFLINE(2),
    /** The id claimed in a HELLO is held by another peer or is in the agent's range; or a REPLACE took it over. */
    DUPLICATE_ID(3),
    /** The name claimed in a HELLO is held by another peer; or a REPLACE took it over. */
    DUPLICATE_NAME(4),
    /** A frame broke the framing rules; the connection is closed. */
    BAD_FRAME(5),
    /** No protocol version in common, or a frame in a version not agreed on; the connection is closed. */
    UNSUPPORTED_VERSION(6),
    /** The HELLO's token is missing or wrong, or a frame came before the HELLO was accepted. */
    UNAUTHORIZED(7),
    /** A frame is larger than the receiving end accepts. */
    TOO_LARGE(8),
    /** A queue is over its high-water mark: the message was refused, or the connection is cut. */
    OVERLOADED(9),
    /** The destination has no handler for the request's command. */
    NO_HANDLER(10),
    /** The destination's handler failed; the detail says how. */
    REMOTE_ERROR(11),
    /** A peer name or topic breaks the syntax rules of {@link Topic}. */
    INVALID_SUBJECT(12);

    private static final ErrorCode[] BY_CODE = new ErrorCode[values().length];

    static {
        for (ErrorCode error : values()) {
            BY_CODE[error.code] = error;
        }
    }

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The code on the wire. */
    public int code() {
        return code;
    }

    /** The error with this code, or null if none has it (any int is accepted). */
    public static ErrorCode fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
