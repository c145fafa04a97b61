package io.msf.protocol.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;

/**
 * The body of a HELLO frame: what one end offers and the other answers.
 *
 * <p>A peer offers the protocol versions it speaks, the largest frame it accepts, the heartbeat
 * interval it would like and, if the agent asks for one, the shared-secret token. The agent
 * answers with {@code minVersion == maxVersion ==} the version chosen, its own frame limit and
 * heartbeat interval, and no token.
 *
 * <p>On the wire (big-endian): {@code u8 minVersion, u8 maxVersion, u16 tokenLength,
 * i32 maxFrameBytes, i32 heartbeatMillis, token bytes}.
 *
 * @param minVersion the oldest protocol version offered, 1 or more
 * @param maxVersion the newest protocol version offered, at least {@code minVersion}, at most 255
 * @param maxFrameBytes the largest frame (header included) this end accepts, at least
 *     {@link Protocol#SMALLEST_FRAME_LIMIT}
 * @param heartbeatMillis the PING interval this end would like (peer) or uses (agent); 0: no preference
 * @param token the shared secret, at most {@link Protocol#MAX_TOKEN_BYTES}; empty when none
 */
public record Hello(int minVersion, int maxVersion, int maxFrameBytes, int heartbeatMillis, byte[] token) {

    /** Bytes before the token. */
    public static final int FIXED_BYTES = 12;

    public Hello {
        if (minVersion < 1 || maxVersion > 255 || minVersion > maxVersion) {
            throw new IllegalArgumentException(
                    "versions " + minVersion + ".." + maxVersion + " are not a range within 1..255");
        }
        if (maxFrameBytes < Protocol.SMALLEST_FRAME_LIMIT) {
            throw new IllegalArgumentException(
                    "maxFrameBytes " + maxFrameBytes + " is below the smallest limit " + Protocol.SMALLEST_FRAME_LIMIT);
        }
        if (heartbeatMillis < 0) {
            throw new IllegalArgumentException("heartbeatMillis " + heartbeatMillis + " is negative");
        }
        token = token == null ? new byte[0] : token.clone();
        if (token.length > Protocol.MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException(
                    "token of " + token.length + " bytes is longer than " + Protocol.MAX_TOKEN_BYTES);
        }
    }

    /** What this build offers: every version it speaks. */
    public static Hello offer(int maxFrameBytes, int heartbeatMillis, byte[] token) {
        return new Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION, maxFrameBytes, heartbeatMillis, token);
    }

    /**
     * Reads a body: the readable bytes of {@code body}, whose indices are not moved.
     *
     * @throws IllegalArgumentException naming the field and its offset within the body if the
     *     body is malformed
     */
    public static Hello read(ByteBuf body) {
        int start = body.readerIndex();
        int length = body.readableBytes();
        if (length < FIXED_BYTES) {
            throw new IllegalArgumentException(
                    "body of " + length + " bytes is shorter than its fixed " + FIXED_BYTES + " bytes");
        }
        int tokenLength = body.getUnsignedShort(start + 2);
        if (tokenLength > Protocol.MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException(
                    "token length " + tokenLength + " at body offset 2 is over the bound of "
                            + Protocol.MAX_TOKEN_BYTES);
        }
        if (FIXED_BYTES + tokenLength != length) {
            throw new IllegalArgumentException("token length " + tokenLength + " at body offset 2 disagrees with the "
                    + length + "-byte body (expected " + (length - FIXED_BYTES) + ")");
        }
        byte[] token = new byte[tokenLength];
        body.getBytes(start + FIXED_BYTES, token);
        return new Hello(body.getUnsignedByte(start), body.getUnsignedByte(start + 1), body.getInt(start + 4),
                body.getInt(start + 8), token);
    }

    /** This body in a new buffer from {@code alloc}. */
    public ByteBuf write(ByteBufAllocator alloc) {
        return alloc.buffer(FIXED_BYTES + token.length)
                .writeByte(minVersion)
                .writeByte(maxVersion)
                .writeShort(token.length)
                .writeInt(maxFrameBytes)
                .writeInt(heartbeatMillis)
                .writeBytes(token);
    }

    /**
     * The newest version both this offer and the range {@code min..max} contain, or 0 if they share none.
     */
    public int highestCommonVersion(int min, int max) {
        int highest = Math.min(maxVersion, max);
        return highest >= Math.max(minVersion, min) ? highest : 0;
    }

    /** A copy of the token. */
    @Override
    public byte[] token() {
        return token.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hello other && minVersion == other.minVersion && maxVersion == other.maxVersion
                && maxFrameBytes == other.maxFrameBytes && heartbeatMillis == other.heartbeatMillis
                && Arrays.equals(token, other.token);
    }

    @Override
    public int hashCode() {
        return ((minVersion * 31 + maxVersion) * 31 + maxFrameBytes) * 31 + heartbeatMillis;
    }

    /** Never shows the token, only whether there is one. */
    @Override
    public String toString() {
        return "Hello[versions " + minVersion + ".." + maxVersion + ", maxFrameBytes=" + maxFrameBytes
                + ", heartbeatMillis=" + heartbeatMillis + ", token=" + (token.length == 0 ? "none" : "present") + "]";
    }
}
