package io.msf.shell.protocol;

/** The kinds of frame, by the ASCII letter that starts them on the wire. */
public enum FrameType {
    HELLO('H', false),
    EXEC('X', true),
    LINE('L', true),
    OUT('O', false),
    ERR('E', false),
    PROMPT('P', false),
    STATUS('S', false),
    FAIL('F', false);

    private final byte code;
    private final boolean fromClient;

    FrameType(char code, boolean fromClient) {
        this.code = (byte) code;
        this.fromClient = fromClient;
    }

    public byte code() {
        return code;
    }

    /** True for the frames a client sends, false for those a server sends. */
    public boolean fromClient() {
        return fromClient;
    }

    /** The type with this code, or {@code null} if none has it. */
    public static FrameType of(byte code) {
        for (FrameType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
