package io.msf.shell.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;

/**
 * Reads frames from a blocking channel, refusing any the reading side must not accept: an
 * unknown type, a type the peer's side never sends, or a length over the limit. The limit is
 * checked before anything is allocated, so a hostile length costs nothing.
 *
 * <p>Reads block; another thread may watch, through {@link #frameIncompleteFor}, for a frame that
 * began to arrive and stopped.
 */
public final class FrameReader {

    private final ReadableByteChannel channel;
    private final int maxPayloadBytes;
    private final boolean fromClient;
    private final ByteBuffer header = ByteBuffer.allocate(ConsoleProtocol.HEADER_BYTES);
    /** Written by the reading thread, read by a watcher: frameStartNanos first, then inFrame. */
    private volatile long frameStartNanos;
    private volatile boolean inFrame;

    private FrameReader(ReadableByteChannel channel, int maxPayloadBytes, boolean fromClient) {
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive, not " + maxPayloadBytes);
        }
        this.channel = channel;
        this.maxPayloadBytes = maxPayloadBytes;
        this.fromClient = fromClient;
    }

    /** A server's reader: client frames with payloads of at most {@code maxLineBytes}. */
    public static FrameReader ofClientFrames(ReadableByteChannel channel, int maxLineBytes) {
        return new FrameReader(channel, maxLineBytes, true);
    }

    /** A client's reader: server frames of at most {@link ConsoleProtocol#MAX_SERVER_FRAME_BYTES}. */
    public static FrameReader ofServerFrames(ReadableByteChannel channel) {
        return new FrameReader(channel, ConsoleProtocol.MAX_SERVER_FRAME_BYTES, false);
    }

    /**
     * The next frame, or {@code null} if the peer closed the connection between frames.
     *
     * @throws ProtocolException if the frame is not allowed, or the connection ends inside it
     * @throws IOException if reading fails
     */
    public Frame read() throws IOException {
        try {
            return readFrame();
        } finally {
            inFrame = false;
        }
    }

    /**
     * True if the frame being read began to arrive (its first byte) longer than {@code limit} ago
     * and is not complete yet; false between frames, however long the peer is silent there.
     */
    public boolean frameIncompleteFor(Duration limit) {
        // inFrame first: the start read after it is that frame's, or a later one's
        return inFrame && System.nanoTime() - frameStartNanos > limit.toNanos();
    }

    private Frame readFrame() throws IOException {
        header.clear();
        if (!fill(header, true)) {
            return null;
        }
        header.flip();
        byte code = header.get();
        long length = Integer.toUnsignedLong(header.getInt());
        FrameType type = FrameType.of(code);
        if (type == null) {
            throw new ProtocolException(String.format("unknown frame type 0x%02x", code & 0xff));
        }
        if (type.fromClient() != fromClient) {
            throw new ProtocolException(type + " frames are sent by the " + (fromClient ? "server" : "client")
                    + ", not by the " + (fromClient ? "client" : "server"));
        }
        if (length > maxPayloadBytes) {
            throw new ProtocolException(type + " frame of " + length + " bytes is over the limit of "
                    + maxPayloadBytes + " bytes");
        }
        ByteBuffer payload = ByteBuffer.allocate((int) length);
        fill(payload, false);
        return Frame.read(type, payload.array());
    }

    /** Fills the buffer; false only if the stream ended before its first byte and that is allowed. */
    private boolean fill(ByteBuffer buffer, boolean endAllowed) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (endAllowed && buffer.position() == 0) {
                    return false;
                }
                throw new ProtocolException("connection closed inside a frame",
                        new EOFException(buffer.position() + " of " + buffer.limit() + " bytes read"));
            }
            if (!inFrame && buffer.position() > 0) {
                frameStartNanos = System.nanoTime();
                inFrame = true;
            }
        }
        return true;
    }
}
