package io.msf.protocol.codec;

import io.msf.protocol.api.ErrorCode;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * The bytes from a peer break the framing rules. The stream cannot be trusted past this point:
 * the decoder drops everything after it, and the connection is to be closed, after an ERROR frame
 * with {@link #code()} if the peer can still hear it ({@link MalformedFrameHandler}).
 */
public final class MalformedFrameException extends CorruptedFrameException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final long offset;

    /**
     * @param problem what was wrong, naming the field and the offset
     * @param offset the offset, counted in bytes from the start of the connection, of the field at fault
     */
    MalformedFrameException(ErrorCode code, long offset, String problem) {
        super(problem);
        this.code = code;
        this.offset = offset;
    }

    /** The code an ERROR frame gives the peer: BAD_FRAME, UNSUPPORTED_VERSION or TOO_LARGE. */
    public ErrorCode code() {
        return code;
    }

    /** The offset, counted from the start of the connection, of the first byte at fault. */
    public long offset() {
        return offset;
    }
}
