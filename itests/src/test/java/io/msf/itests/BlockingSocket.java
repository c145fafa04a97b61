package io.msf.itests;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * A plain JDK socket (TCP or Unix domain) with deadlines on every send and read, for test peers
 * that must check the bytes the container puts on the wire without the container's own codec.
 * Every wait ends after {@link Await#TIMEOUT_MILLIS} with a {@link SocketTimeoutException}.
 */
public final class BlockingSocket implements AutoCloseable {

    private static final long TIMEOUT_MILLIS = Await.TIMEOUT_MILLIS;

    private final SocketChannel channel;
    private final Selector selector;

    private BlockingSocket(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    /**
     * @param receiveBufferBytes the socket's receive buffer (TCP: the window the other side may fill
     *     before its own queue grows); 0 for the system default
     */
    public static BlockingSocket connect(SocketAddress address, int receiveBufferBytes) throws IOException {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        try {
            if (receiveBufferBytes > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            channel.connect(address);
            return new BlockingSocket(channel);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Sends bytes as they are. Test frames are small: a full send buffer means the other side stopped reading. */
    public void send(ByteBuffer bytes) throws IOException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (bytes.hasRemaining()) {
            if (channel.write(bytes) == 0 && System.currentTimeMillis() > deadline) {
                throw new SocketTimeoutException("the other side read nothing within " + TIMEOUT_MILLIS + " ms");
            }
        }
    }

    /** Shuts down this side's output (a half-close): the other side reads the end of its input and may answer still. */
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** Fills {@code buffer}, or fails when the connection ends first or nothing comes before {@code deadline}. */
    public ByteBuffer readFully(ByteBuffer buffer, long deadline) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("the other side closed the connection after " + buffer.position() + " of "
                        + buffer.capacity() + " bytes");
            }
            if (buffer.hasRemaining()) {
                waitReadable(deadline);
            }
        }
        return buffer;
    }

    /** Reads and drops everything until the other side closes the connection; fails if it stays open. */
    public void awaitClosedByPeer() throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
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
