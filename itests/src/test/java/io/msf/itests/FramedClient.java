package io.msf.itests;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A plain JDK client for length-field framed endpoints (4-byte big-endian length, then the
 * payload), over TCP or a Unix domain socket. Independent of Netty on purpose: it checks the
 * bytes the container puts on the wire, not the container's own codec.
 */
public final class FramedClient implements AutoCloseable {

    private static final long TIMEOUT_MILLIS = Await.TIMEOUT_MILLIS;

    private final SocketChannel channel;
    private final Selector selector;

    private FramedClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    public static FramedClient tcp(int port) throws IOException {
        return connect(new InetSocketAddress("127.0.0.1", port));
    }

    public static FramedClient uds(Path path) throws IOException {
        return connect(UnixDomainSocketAddress.of(path));
    }

    public static FramedClient connect(SocketAddress address) throws IOException {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        try {
            channel.connect(address);
            return new FramedClient(channel);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** True if nothing accepts connections at {@code address} (refused, or no socket file). */
    public static boolean refuses(SocketAddress address) {
        try (FramedClient ignored = connect(address)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Sends {@code payload} as one frame and returns the payload of the frame that comes back. */
    public byte[] echo(byte[] payload) throws IOException {
        sendFrame(payload);
        return readFrame();
    }

    public void sendFrame(byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
        sendRaw(frame);
    }

    /** Sends bytes as they are, e.g. a length field announcing more than the endpoint accepts. */
    public void sendRaw(ByteBuffer bytes) throws IOException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        // Frames here are small: a full send buffer means the endpoint stopped reading.
        while (bytes.hasRemaining()) {
            if (channel.write(bytes) == 0 && System.currentTimeMillis() > deadline) {
                throw new SocketTimeoutException("endpoint read nothing within " + TIMEOUT_MILLIS + " ms");
            }
        }
    }

    public byte[] readFrame() throws IOException {
        ByteBuffer length = readFully(ByteBuffer.allocate(4));
        return readFully(ByteBuffer.allocate(length.getInt(0))).array();
    }

    /** Waits until the peer closes the connection; fails if it is still open at the timeout. */
    public void awaitClosedByPeer() throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(8192);
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (true) {
            try {
                if (channel.read(sink.clear()) < 0) {
                    return;
                }
            } catch (IOException reset) {
                return;
            }
            waitReadable(deadline);
        }
    }

    private ByteBuffer readFully(ByteBuffer buffer) throws IOException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("connection closed by the endpoint after " + buffer.position() + " of "
                        + buffer.capacity() + " bytes");
            }
            if (buffer.hasRemaining()) {
                waitReadable(deadline);
            }
        }
        return buffer;
    }

    private void waitReadable(long deadline) throws IOException {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
            throw new SocketTimeoutException("nothing read within " + TIMEOUT_MILLIS + " ms");
        }
        selector.select(left);
        selector.selectedKeys().clear();
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
