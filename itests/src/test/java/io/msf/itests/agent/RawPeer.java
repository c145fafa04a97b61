package io.msf.itests.agent;

import io.msf.itests.Await;
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
 * A peer of the agent written with plain JDK sockets: it sends exactly the bytes a test gives it
 * (malformed ones included), reads frames only when told to, and answers PINGs only while it
 * reads. That makes it the misbehaving peer the agent must survive: one that never answers a
 * heartbeat, never reads, or sends garbage.
 */
public final class RawPeer implements AutoCloseable {

    private static final long TIMEOUT_MILLIS = Await.TIMEOUT_MILLIS;

    private final SocketChannel channel;
    private final Selector selector;

    private RawPeer(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    public static RawPeer connect(SocketAddress agent) throws IOException {
        return connect(agent, 0);
    }

    /**
     * @param receiveBufferBytes the socket's receive buffer (TCP: the window the agent may fill
     *     before its own queue grows); 0 for the system default
     */
    public static RawPeer connect(SocketAddress agent, int receiveBufferBytes) throws IOException {
        SocketChannel channel = agent instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        try {
            if (receiveBufferBytes > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            channel.connect(agent);
            return new RawPeer(channel);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Sends a HELLO and returns the agent's answer: its HELLO, or a closing ERROR. */
    public Frame hello(int id, String name, int flags) throws IOException {
        return hello(Frame.hello(id, name, flags));
    }

    /** Sends {@code hello} and returns the agent's answer. */
    public Frame hello(Frame hello) throws IOException {
        send(hello);
        return next();
    }

    /** Sends a HELLO and fails unless the agent accepts it; returns the agent's HELLO. */
    public Frame register(int id, String name) throws IOException {
        Frame answer = hello(id, name, 0);
        if (answer.type() != Frame.HELLO) {
            throw new AssertionError("HELLO of " + name + " refused: " + answer);
        }
        return answer;
    }

    public void send(Frame frame) throws IOException {
        sendRaw(frame.encode());
    }

    /** Sends bytes as they are. */
    public void sendRaw(ByteBuffer bytes) throws IOException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (bytes.hasRemaining()) {
            if (channel.write(bytes) == 0 && System.currentTimeMillis() > deadline) {
                throw new SocketTimeoutException("the agent read nothing within " + TIMEOUT_MILLIS + " ms");
            }
        }
    }

    /** The next frame that is not a PING; PINGs read on the way are answered. */
    public Frame next() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame.type() != Frame.PING) {
                return frame;
            }
            send(Frame.pongTo(frame));
        }
    }

    /** The next frame that is not a PING; PINGs are left unanswered, as by a peer that hangs. */
    public Frame nextIgnoringPings() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame.type() != Frame.PING) {
                return frame;
            }
        }
    }

    /** The next frame, whatever it is; nothing is answered. */
    public Frame read() throws IOException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        ByteBuffer header = readFully(ByteBuffer.allocate(Frame.HEADER_BYTES), deadline);
        ByteBuffer body = readFully(ByteBuffer.allocate(header.getInt(4) - Frame.HEADER_BYTES), deadline);
        return Frame.decode(header, body);
    }

    /** Reads and drops everything until the agent closes the connection; fails if it stays open. */
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

    private ByteBuffer readFully(ByteBuffer buffer, long deadline) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("the agent closed the connection after " + buffer.position() + " of "
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
