package io.msf.agent.internal.broker;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns failures into protocol errors and back: handler exceptions, ERROR frames, AgentExceptions. */
final class Failures {

    /** ERROR texts are for people; a longer one is cut so that the frame stays far below any limit. */
    static final int MAX_DETAIL_CHARS = 300;

    private Failures() {
    }

    /**
     * The code a handler's failure gives the requester: an AgentException's own when a handler may
     * answer with it ({@link ErrorCode#handlerMayAnswer}), else REMOTE_ERROR. The client library
     * answers for a socket handler by the same rule.
     */
    static ErrorCode code(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof AgentException agent && agent.code().handlerMayAnswer()) {
            return agent.code();
        }
        return ErrorCode.REMOTE_ERROR;
    }

    /**
     * The text a handler's failure gives the requester: an AgentException's message (with its code
     * in front when {@link #code} does not pass the code on), else class and message.
     */
    static String detail(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof AgentException agent) {
            return agent.code().handlerMayAnswer() ? agent.detail() : agent.getMessage();
        }
        return cause.getClass().getName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** An ERROR frame to {@code destination} answering its frame {@code command}/{@code sequence}. */
    static Message frame(ErrorCode code, int destination, int command, long sequence, String detail) {
        return new Message(MessageType.ERROR, 0, code, 0, destination, "", command, sequence, 0,
                text(detail));
    }

    /** The text of an ERROR frame, as the exception an in-container requester gets. */
    static AgentException exception(Message error) {
        return new AgentException(error.error(), error.payload().toString(UTF_8));
    }

    /** Error paths are rare: an unpooled heap buffer keeps them off every bundle's account. */
    static ByteBuf text(String detail) {
        String cut = cut(detail);
        return cut.isEmpty() ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(cut, UTF_8);
    }

    /** {@code detail} at most {@link #MAX_DETAIL_CHARS} long. */
    static String cut(String detail) {
        return detail.length() > MAX_DETAIL_CHARS ? detail.substring(0, MAX_DETAIL_CHARS) : detail;
    }
}
