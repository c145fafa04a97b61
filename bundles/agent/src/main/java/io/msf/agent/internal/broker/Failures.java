package io.msf.agent.internal.broker;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.HandlerFailure;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.text.Cut;
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

    /** The code a handler's failure gives the requester ({@link HandlerFailure}). */
    static ErrorCode code(Throwable failure) {
        return ofHandler(failure).code();
    }

    /** The text a handler's failure gives the requester ({@link HandlerFailure}). */
    static String detail(Throwable failure) {
        return ofHandler(failure).text();
    }

    /**
     * A handler's failure as the requester gets it, in the words the client library uses for a
     * socket handler too.
     */
    private static HandlerFailure ofHandler(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof AgentException agent ? HandlerFailure.of(agent.code(), agent.detail())
                : HandlerFailure.of(cause);
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

    /**
     * {@code detail} at most {@link #MAX_DETAIL_CHARS} long, cut between two code points: a surrogate pair
     * cut in half was sent as a '?' where the cut fell.
     */
    static String cut(String detail) {
        return Cut.atMost(detail, MAX_DETAIL_CHARS);
    }
}
