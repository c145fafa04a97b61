package io.msf.shell.protocol;

/** Constants of the console protocol; see the package description. */
public final class ConsoleProtocol {

    /** What HELLO announces; a client refuses any other. */
    public static final String VERSION = "msf-console/1";

    /** Type byte plus length field. */
    public static final int HEADER_BYTES = 5;

    /** The largest OUT or ERR payload the server sends; longer output is cut into several. */
    public static final int OUTPUT_CHUNK_BYTES = 8 * 1024;

    /** The largest payload a server frame may have. */
    public static final int MAX_SERVER_FRAME_BYTES = 64 * 1024;

    /** STATUS and FAIL messages are cut to this many characters, keeping them within a frame. */
    public static final int MAX_MESSAGE_CHARS = 4 * 1024;

    /**
     * How long the server waits for the rest of a frame once its first byte has arrived. A client
     * sends each frame whole, at once; one that stops inside a frame is cut (FAIL) rather than
     * holding its client slot for good. Between frames the server waits as long as the client likes.
     */
    public static final int FRAME_TIMEOUT_MILLIS = 10_000;

    /**
     * How many EXEC or LINE frames a client may have sent ahead of their answers, waiting to run
     * behind the running command. The server goes on reading them (so that it sees the client
     * leave); one more ends the connection with FAIL.
     */
    public static final int MAX_FRAMES_AHEAD = 1024;

    /**
     * How many payload bytes the frames a client sent ahead of their answers may hold in all;
     * one frame of any allowed size may always wait. One that would pass it ends the connection
     * with FAIL.
     */
    public static final int MAX_BYTES_AHEAD = 256 * 1024;

    /** Exit code in STATUS when the command ran to its end. */
    public static final int STATUS_OK = 0;

    /** Exit code in STATUS when the command failed. */
    public static final int STATUS_FAILED = 1;

    private ConsoleProtocol() {
    }
}
