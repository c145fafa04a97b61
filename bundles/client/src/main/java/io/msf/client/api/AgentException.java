package io.msf.client.api;

import io.msf.protocol.api.ErrorCode;
import java.util.Objects;

/**
 * A request, notification or subscription failed with an agent protocol error: the peer is offline,
 * the timeout ran out, the handler failed (its failure as text), a queue is full, or the connection
 * to the agent is gone. Unchecked, so that it also surfaces through RPC proxies of plain Java
 * interfaces.
 */
public class AgentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String detail;

    /**
     * @param code why it failed; not {@link ErrorCode#OK}
     * @param message for people: names the destination, command or topic involved
     */
    public AgentException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public AgentException(ErrorCode code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.detail = Objects.toString(message, "");
        if (code == ErrorCode.OK) {
            throw new IllegalArgumentException("an AgentException needs an error code other than OK");
        }
    }

    /** The protocol error code. */
    public ErrorCode code() {
        return code;
    }

    /** The message without the code in front: what an ERROR frame's text carries. */
    public String detail() {
        return detail;
    }
}
