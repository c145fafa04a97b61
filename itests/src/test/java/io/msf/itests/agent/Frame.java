package io.msf.itests.agent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One agent protocol frame as raw numbers, written and read by hand after docs/protocol.md section
 * 2, so that the tests check the bytes the agent puts on the wire rather than trust the codec it
 * shares with the client library.
 *
 * @param type the type code (section 4)
 * @param error the error code (section 11), 0 unless {@code type} is {@link #ERROR}
 */
public record Frame(int version, int type, int flags, int error, int source, int destination, int command,
        int timeoutMillis, long sequence, String subject, byte[] payload) {

    public static final int HEADER_BYTES = 44;
    public static final short MAGIC = 0x4D53;

    public static final int HELLO = 1;
    public static final int REQUEST = 2;
    public static final int REPLY = 3;
    public static final int NOTIFY = 4;
    public static final int PUBLISH = 5;
    public static final int SUBSCRIBE = 6;
    public static final int PING = 8;
    public static final int PONG = 9;
    public static final int ERROR = 10;

    public static final int FLAG_REPLACE = 0x0001;
    public static final int FLAG_CLOSING = 0x0002;

    /** A HELLO claiming {@code id} and {@code name}, offering version 1, a 1 MiB frame limit and no token. */
    public static Frame hello(int id, String name, int flags) {
        return hello(id, name, flags, 1, 1, 1 << 20, "");
    }

    /** A HELLO offering the versions {@code minVersion..maxVersion}, without a heartbeat preference. */
    public static Frame hello(int id, String name, int flags, int minVersion, int maxVersion, int maxFrameBytes,
            String token) {
        byte[] tokenBytes = utf8(token);
        byte[] body = ByteBuffer.allocate(12 + tokenBytes.length)
                .put((byte) minVersion).put((byte) maxVersion).putShort((short) tokenBytes.length)
                .putInt(maxFrameBytes).putInt(0)
                .put(tokenBytes)
                .array();
        return new Frame(1, HELLO, flags, 0, id, 0, 0, 0, 0, name, body);
    }

    public static Frame request(String name, int command, long sequence, int timeoutMillis, String payload) {
        return new Frame(1, REQUEST, 0, 0, 0, 0, command, timeoutMillis, sequence, name, utf8(payload));
    }

    public static Frame subscribe(String pattern, long sequence) {
        return new Frame(1, SUBSCRIBE, 0, 0, 0, 0, 0, 0, sequence, pattern, new byte[0]);
    }

    /** The answer to {@code request}, back to its sender. */
    public static Frame replyTo(Frame request, String payload) {
        return new Frame(1, REPLY, 0, 0, 0, request.source, request.command, 0, request.sequence, "", utf8(payload));
    }

    /** An ERROR with {@code error} and {@code flags} answering {@code request}, back to its sender. */
    public static Frame errorTo(Frame request, int error, int flags, String text) {
        return new Frame(1, ERROR, flags, error, 0, request.source, request.command, 0, request.sequence, "",
                utf8(text));
    }

    public static Frame pongTo(Frame ping) {
        return new Frame(1, PONG, 0, 0, 0, ping.source, 0, 0, ping.sequence, "", new byte[0]);
    }

    /** The frame as bytes, its lengths adding up. */
    public ByteBuffer encode() {
        byte[] subjectBytes = utf8(subject);
        return ByteBuffer.allocate(HEADER_BYTES + subjectBytes.length + payload.length)
                .putShort(MAGIC).put((byte) version).put((byte) type)
                .putInt(HEADER_BYTES + subjectBytes.length + payload.length)
                .putShort((short) flags).putShort((short) error)
                .putShort((short) subjectBytes.length).putShort((short) 0)
                .putInt(source).putInt(destination).putInt(command).putInt(timeoutMillis)
                .putLong(sequence)
                .putInt(payload.length)
                .put(subjectBytes).put(payload)
                .flip();
    }

    /** Reads the frame whose 44-byte header is {@code header} and whose rest is {@code body}. */
    static Frame decode(ByteBuffer header, ByteBuffer body) {
        int subjectLength = Short.toUnsignedInt(header.getShort(12));
        byte[] subject = new byte[subjectLength];
        byte[] payload = new byte[body.capacity() - subjectLength];
        body.get(0, subject).get(subjectLength, payload);
        return new Frame(Byte.toUnsignedInt(header.get(2)), Byte.toUnsignedInt(header.get(3)),
                Short.toUnsignedInt(header.getShort(8)), Short.toUnsignedInt(header.getShort(10)),
                header.getInt(16), header.getInt(20), header.getInt(24), header.getInt(28), header.getLong(32),
                new String(subject, StandardCharsets.UTF_8), payload);
    }

    public boolean closing() {
        return (flags & FLAG_CLOSING) != 0;
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The heartbeat interval in a HELLO body (section 7.1). */
    public int helloHeartbeatMillis() {
        return ByteBuffer.wrap(payload).getInt(8);
    }

    @Override
    public String toString() {
        return "Frame[type=" + type + " flags=" + flags + " error=" + error + " source="
                + Integer.toUnsignedString(source) + " destination=" + Integer.toUnsignedString(destination)
                + " subject='" + subject + "' command=" + command + " sequence=" + sequence + " payload="
                + (type == ERROR ? "'" + text() + "'" : payload.length + "B") + "]";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
