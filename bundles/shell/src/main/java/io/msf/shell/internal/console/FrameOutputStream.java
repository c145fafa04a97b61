package io.msf.shell.internal.console;

import io.msf.shell.protocol.ConsoleProtocol;
import io.msf.shell.protocol.Frame;
import io.msf.shell.protocol.FrameType;
import io.msf.shell.protocol.FrameWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * What a command writes, sent as OUT or ERR frames: buffered up to one chunk, sent when the
 * chunk is full or on flush. Synchronized because Gogo may write from its pipeline threads.
 */
final class FrameOutputStream extends OutputStream {

    private final FrameWriter writer;
    private final FrameType type;
    private final byte[] chunk = new byte[ConsoleProtocol.OUTPUT_CHUNK_BYTES];
    private int filled;

    FrameOutputStream(FrameWriter writer, FrameType type) {
        this.writer = writer;
        this.type = type;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (filled == chunk.length) {
            flush();
        }
        chunk[filled++] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            if (filled == chunk.length) {
                flush();
            }
            int n = Math.min(length, chunk.length - filled);
            System.arraycopy(bytes, offset, chunk, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (filled > 0) {
            Frame frame = Frame.of(type, chunk, 0, filled);
            filled = 0;
            writer.write(frame);
        }
    }

    /** Flushes; the connection, not this stream, owns the channel. */
    @Override
    public void close() throws IOException {
        flush();
    }
}
