package io.msf.shell.internal.console;

import io.msf.shell.protocol.Frame;
import io.msf.shell.protocol.FrameReader;
import io.msf.shell.protocol.FrameType;
import io.msf.shell.protocol.Hello;
import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** A connection that sends whatever bytes a test wants, to see how the server takes them. */
final class RawClient implements AutoCloseable {

    private final SocketChannel channel;
    private final FrameReader reader;

    RawClient(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        reader = FrameReader.ofServerFrames(channel);
    }

    /** Connects and reads the greeting, as a well-behaved client does. */
    static RawClient greeted(Path socket) throws IOException {
        RawClient client = new RawClient(socket);
        try {
            Hello.from(client.read());
        } catch (IOException | RuntimeException e) {
            client.close(); // refused (no free slot, say): a caller that tries again leaks no connection
            throw e;
        }
        return client;
    }

    Frame read() throws IOException {
        return reader.read();
    }

    void send(byte type, int length, byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(5 + payload.length).put(type).putInt(length).put(payload).flip();
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
    }

    /** Sends bytes as they are, such as part of a frame. */
    void sendBytes(byte... bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /**
     * Reads until the server closes; the frame before the end, which should be a FAIL. When the
     * server closes with bytes of ours unread, the end shows as a reset rather than end of stream.
     */
    Frame readUntilClosed() throws IOException {
        Frame last = null;
        try {
            for (Frame frame = read(); frame != null; frame = read()) {
                last = frame;
            }
        } catch (SocketException reset) {
            if (last == null) {
                throw reset;
            }
        }
        if (last == null || last.type() != FrameType.FAIL) {
            throw new AssertionError("expected a FAIL before the end, got " + last);
        }
        return last;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
