package io.msf.rpc.api;

import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import java.util.Objects;

/**
 * The implementation behind an RPC proxy threw: carries the class name and message of what it threw
 * (never its stack trace, and never an instance of its class: nothing is loaded by name). Its code is
 * {@link ErrorCode#REMOTE_ERROR}.
 */
public class RemoteInvocationException extends AgentException {

    private static final long serialVersionUID = 1L;

    private final String remoteType;
    private final String remoteMessage;

    /**
     * @param call the call that failed, for people: method and destination, e.g.
     *     {@code MediaLibrary.track(int) at dlna.library}
     * @param remoteType the class name of what the implementation threw
     * @param remoteMessage its message; null if it had none
     */
    public RemoteInvocationException(String call, String remoteType, String remoteMessage) {
        super(ErrorCode.REMOTE_ERROR, call + " threw " + Objects.requireNonNull(remoteType, "remoteType")
                + (remoteMessage == null ? "" : ": " + remoteMessage));
        this.remoteType = remoteType;
        this.remoteMessage = remoteMessage;
    }

    /** The class name of what the implementation threw, e.g. {@code java.util.NoSuchElementException}. */
    public String remoteType() {
        return remoteType;
    }

    /** Its message, or null if it had none; {@code (its getMessage() threw <class>)} if it could not be had. */
    public String remoteMessage() {
        return remoteMessage;
    }
}
