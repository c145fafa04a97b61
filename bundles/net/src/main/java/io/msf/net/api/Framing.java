package io.msf.net.api;

/** How a stream is cut into messages. */
public enum Framing {
    /** Bytes as they arrive. */
    NONE,
    /** Each message is preceded by its length (big-endian, 2 or 4 bytes), bounded by a maximum. */
    LENGTH_FIELD
}
