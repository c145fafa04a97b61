package io.msf.shell.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** One frame: a type and its payload. */
public final class Frame {

    private final FrameType type;
    private final byte[] payload;

    private Frame(FrameType type, byte[] payload) {
        this.type = Objects.requireNonNull(type, "type");
        this.payload = payload;
    }

    /** A frame carrying these bytes (copied). */
    public static Frame of(FrameType type, byte[] payload, int offset, int length) {
        return new Frame(type, Arrays.copyOfRange(payload, offset, offset + length));
    }

    /** A frame carrying UTF-8 text. */
    public static Frame text(FrameType type, String text) {
        return new Frame(type, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The end of an EXEC: an exit code and, when it failed, why (cut to a bounded length). */
    public static Frame status(int exitCode, String message) {
        if (exitCode < 0 || exitCode > 255) {
            throw new IllegalArgumentException("exit code must be 0..255, not " + exitCode);
        }
        byte[] text = bounded(message).getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[text.length + 1];
        payload[0] = (byte) exitCode;
        System.arraycopy(text, 0, payload, 1, text.length);
        return new Frame(FrameType.STATUS, payload);
    }

    /** The server closes the connection, for this reason (cut to a bounded length). */
    public static Frame fail(String reason) {
        return text(FrameType.FAIL, bounded(reason));
    }

    static Frame read(FrameType type, byte[] payload) {
        return new Frame(type, payload);
    }

    public FrameType type() {
        return type;
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload's length in bytes. */
    public int length() {
        return payload.length;
    }

    byte[] payloadUnsafe() {
        return payload;
    }

    /**
     * The payload as text.
     *
     * @throws ProtocolException if it is not valid UTF-8
     */
    public String text() throws ProtocolException {
        return decode(payload, 0);
    }

    /** The exit code of a STATUS frame. */
    public int exitCode() throws ProtocolException {
        requireStatus();
        return payload[0] & 0xff;
    }

    /** The message of a STATUS frame, empty when the command succeeded. */
    public String statusMessage() throws ProtocolException {
        requireStatus();
        return decode(payload, 1);
    }

    private void requireStatus() throws ProtocolException {
        if (type != FrameType.STATUS || payload.length == 0) {
            throw new ProtocolException("expected a STATUS frame with an exit code, got " + this);
        }
    }

    private static String bounded(String message) {
        String text = message == null ? "" : message;
        return text.length() <= ConsoleProtocol.MAX_MESSAGE_CHARS ? text
                : text.substring(0, ConsoleProtocol.MAX_MESSAGE_CHARS - 3) + "...";
    }

    private String decode(byte[] bytes, int offset) throws ProtocolException {
        try {
            // Strict: malformed input is an error, not silently replaced characters.
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(type + " frame payload is not valid UTF-8");
        }
    }

    @Override
    public String toString() {
        return type + " frame of " + payload.length + " bytes";
    }
}
