package io.msf.protocol.api;

/**
 * What a frame is, with its code on the wire and the flags it may carry.
 */
public enum MessageType {
    /** Opens a session: claims an id and/or a name, offers protocol versions; the agent answers with its own. */
    HELLO(1, Message.FLAG_REPLACE),
    /** Asks a peer (by id or by name) for a REPLY; answered by exactly one REPLY or ERROR with its sequence. */
    REQUEST(2, 0),
    /** Answers a REQUEST: same sequence and command, addressed to the requester. */
    REPLY(3, 0),
    /** A one-way message to a peer (by id or by name). */
    NOTIFY(4, 0),
    /** A message to every subscriber of a topic. */
    PUBLISH(5, 0),
    /** Subscribes to a topic pattern; acknowledged by a REPLY or refused by an ERROR. */
    SUBSCRIBE(6, 0),
    /** Removes a subscription; acknowledged by a REPLY. */
    UNSUBSCRIBE(7, 0),
    /** Asks the other end for a PONG with the same sequence (heartbeat). */
    PING(8, 0),
    /** Answers a PING. */
    PONG(9, 0),
    /** A failure: answers a frame (same sequence) or, with {@link Message#FLAG_CLOSING}, ends the connection. */
    ERROR(10, Message.FLAG_CLOSING);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final int allowedFlags;

    MessageType(int code, int allowedFlags) {
        this.code = code;
        this.allowedFlags = allowedFlags;
    }

    /** The type byte on the wire. */
    public int code() {
        return code;
    }

    /** The flag bits a frame of this type may set; any other bit makes the frame malformed. */
    public int allowedFlags() {
        return allowedFlags;
    }

    /** The type with this code, or null if none has it (any int is accepted). */
    public static MessageType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
