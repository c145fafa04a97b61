package io.msf.protocol.api;

/**
 * Numbers every end of the agent protocol agrees on. {@code docs/protocol.md} explains each.
 */
public final class Protocol {

    /** The oldest protocol version this build speaks. */
    public static final int MIN_VERSION = 1;

    /** The newest protocol version this build speaks. */
    public static final int MAX_VERSION = 1;

    /** The longest subject (peer name or topic), in UTF-8 bytes. */
    public static final int MAX_SUBJECT_BYTES = 255;

    /** The longest shared-secret token in a HELLO, in bytes. */
    public static final int MAX_TOKEN_BYTES = 255;

    /** The smallest frame limit a peer may announce: every HELLO and ERROR frame fits in it. */
    public static final int SMALLEST_FRAME_LIMIT = 1024;

    /** The frame limit, header included, when nothing else is configured. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

    /** The agent's own id, and "no id" in fields that do not carry one. */
    public static final int AGENT_ID = 0;

    /**
     * The first id the agent assigns to a peer that claims none; peers claim ids below it
     * (1 to 0x7FFFFFFF). Ids are unsigned: print them with {@link Integer#toUnsignedString(int)}.
     */
    public static final int FIRST_ASSIGNED_ID = 0x8000_0000;

    private Protocol() {
    }
}
