package io.msf.net.internal;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * The input of a connection ended inside a frame ({@link BoundedFrameDecoder}): the peer's fault, fully described
 * by the message. It is told once the input has ended, so there is no connection left to close for it, or, after a
 * half-close, one whose answers are still on their way.
 */
final class TruncatedFrameException extends CorruptedFrameException {

    private static final long serialVersionUID = 1L;

    TruncatedFrameException(String message) {
        super(message);
    }
}
