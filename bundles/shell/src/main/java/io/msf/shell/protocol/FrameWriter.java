package io.msf.shell.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;

/**
 * Writes frames to a blocking channel. Thread safe: output of a command may come from several
 * threads (Gogo runs pipelines on its own), and each frame must reach the wire whole.
 *
 * <p>A write blocks while the peer does not read; another thread may watch, through
 * {@link #frameUnwrittenFor}, for a frame the peer has left unread.
 */
public final class FrameWriter {

    private final WritableByteChannel channel;
    private final int maxPayloadBytes;
    /** Written by the writing thread, read by a watcher: frameStartNanos first, then writing. */
    private volatile long frameStartNanos;
    private volatile boolean writing;

    private FrameWriter(WritableByteChannel channel, int maxPayloadBytes) {
        this.channel = channel;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** A server's writer: frames up to {@link ConsoleProtocol#MAX_SERVER_FRAME_BYTES}. */
    public static FrameWriter ofServerFrames(WritableByteChannel channel) {
        return new FrameWriter(channel, ConsoleProtocol.MAX_SERVER_FRAME_BYTES);
    }

    /** A client's writer: frames up to the {@code maxLineBytes} the server announced. */
    public static FrameWriter ofClientFrames(WritableByteChannel channel, int maxLineBytes) {
        return new FrameWriter(channel, maxLineBytes);
    }

    /**
     * Writes one frame.
     *
     * @throws IllegalArgumentException if its payload is over this side's limit (the peer would
     *     close the connection; callers check {@link #fits} first where the size is not theirs)
     */
    public synchronized void write(Frame frame) throws IOException {
        if (!fits(frame.length())) {
            throw new IllegalArgumentException(frame + " is over the limit of " + maxPayloadBytes + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate(ConsoleProtocol.HEADER_BYTES);
        header.put(frame.type().code()).putInt(frame.length()).flip();
        ByteBuffer payload = ByteBuffer.wrap(frame.payloadUnsafe());
        frameStartNanos = System.nanoTime();
        writing = true;
        try {
            while (header.hasRemaining()) {
                channel.write(header);
            }
            while (payload.hasRemaining()) {
                channel.write(payload);
            }
        } finally {
            writing = false;
        }
    }

    /**
     * Writes the last frame of the connection (a FAIL), then closes the channel, both under the lock of
     * {@link #write}: a frame another thread was waiting to write (a command's output) fails on the closed
     * channel, and none follows the last one on the wire. The channel is closed also when the write fails.
     */
    public synchronized void writeLastAndClose(Frame frame) throws IOException {
        try {
            write(frame);
        } finally {
            channel.close();
        }
    }

    /**
     * True if the frame being written began longer than {@code limit} ago and is not written yet:
     * the peer has not read for that long while output waited for it. False between frames.
     */
    public boolean frameUnwrittenFor(Duration limit) {
        // writing first: the start read after it is that frame's, or a later one's
        return writing && System.nanoTime() - frameStartNanos > limit.toNanos();
    }

    /** True if a payload of this many bytes may be sent. */
    public boolean fits(int payloadBytes) {
        return payloadBytes <= maxPayloadBytes;
    }
}
