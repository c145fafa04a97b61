package io.msf.client.internal;

import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.HandlerFailure;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.text.Cut;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns failures into protocol errors and back, with texts that say what failed and where. */
final class Failures {

    /**
     * Bounds the text of an ERROR this client sends: at most 3 UTF-8 bytes a char, it stays far
     * below the smallest frame limit any agent may have.
     */
    static final int MAX_DETAIL_CHARS = 300;

    private Failures() {
    }

    /** Why a frame could not be written: too large for the agent, or the connection is gone. */
    static AgentException ofWrite(String what, Throwable cause, String agent) {
        if (isTooLarge(cause)) {
            return new AgentException(ErrorCode.TOO_LARGE, what + ": " + rootOf(cause).getMessage(), cause);
        }
        return new AgentException(ErrorCode.PEER_OFFLINE,
                what + ": the connection to the agent at " + agent + " is gone (" + describe(cause) + ")", cause);
    }

    /**
     * The agent's answer to a HELLO that reached it after its hello timeout (docs/protocol.md 7.1),
     * which counts a TLS handshake too: a busy agent or network, not a wrong client. The protocol
     * gives it no code of its own, only UNAUTHORIZED with this text.
     */
    static boolean isLateHello(ErrorCode code, String text) {
        return code == ErrorCode.UNAUTHORIZED && text.startsWith("no HELLO within ");
    }

    static boolean isTooLarge(Throwable cause) {
        return rootOf(cause) instanceof TooLongFrameException;
    }

    /**
     * The failure of an application's handler as the requester will see it: an ERROR frame with the
     * code and text of {@link HandlerFailure}, in which the agent answers for an in-container handler
     * too.
     */
    static Message handlerError(ByteBufAllocator alloc, Message request, Throwable failure) {
        Throwable cause = unwrap(failure);
        HandlerFailure answer = cause instanceof AgentException agent ? HandlerFailure.of(agent.code(), agent.detail())
                : HandlerFailure.of(cause);
        return error(alloc, answer.code(), request.source(), request.command(), request.sequence(), answer.text());
    }

    /** An ERROR answering the frame {@code sequence} of {@code destination}. */
    static Message error(ByteBufAllocator alloc, ErrorCode code, int destination, int command, long sequence,
            String detail) {
        return new Message(MessageType.ERROR, 0, code, 0, destination, "", command, sequence, 0,
                ByteBufUtil.writeUtf8(alloc, Cut.atMost(detail, MAX_DETAIL_CHARS)));
    }

    /** The same failure, thrown anew on the caller's thread (so its stack shows the caller). */
    static AgentException rethrown(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof AgentException agent) {
            return new AgentException(agent.code(), agent.detail(), agent);
        }
        return new AgentException(ErrorCode.REMOTE_ERROR, describe(cause), cause);
    }

    /** The exception a CompletableFuture wrapped. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** An exception for people: its message, or its class when it has none. */
    static String describe(Throwable cause) {
        if (cause instanceof AgentException agent) {
            return agent.getMessage();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getName() : cause.getClass().getSimpleName() + ": " + message;
    }

    private static Throwable rootOf(Throwable cause) {
        return cause instanceof EncoderException && cause.getCause() != null ? cause.getCause() : cause;
    }
}
