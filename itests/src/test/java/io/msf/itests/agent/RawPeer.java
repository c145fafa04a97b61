package io.msf.itests.agent;

import io.msf.itests.Await;
import io.msf.itests.BlockingSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A peer of the agent written with plain JDK sockets: it sends exactly the bytes a test gives it
 * (malformed ones included), reads frames only when told to, and answers PINGs only while it
 * reads. That makes it the misbehaving peer the agent must survive: one that never answers a
 * heartbeat, never reads, or sends garbage.
 */
public final class RawPeer implements AutoCloseable {

    private final BlockingSocket socket;

    private RawPeer(BlockingSocket socket) {
        this.socket = socket;
    }

    public static RawPeer connect(SocketAddress agent) throws IOException {
        return connect(agent, 0);
    }

    /**
     * @param receiveBufferBytes the socket's receive buffer (TCP: the window the agent may fill
     *     before its own queue grows); 0 for the system default
     */
    public static RawPeer connect(SocketAddress agent, int receiveBufferBytes) throws IOException {
        return new RawPeer(BlockingSocket.connect(agent, receiveBufferBytes));
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
        socket.send(bytes);
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
        long deadline = System.currentTimeMillis() + Await.TIMEOUT_MILLIS;
        ByteBuffer header = socket.readFully(ByteBuffer.allocate(Frame.HEADER_BYTES), deadline);
        ByteBuffer body = socket.readFully(ByteBuffer.allocate(header.getInt(4) - Frame.HEADER_BYTES), deadline);
        return Frame.decode(header, body);
    }

    /** Reads and drops everything until the agent closes the connection; fails if it stays open. */
    public void awaitClosedByPeer() throws IOException {
        socket.awaitClosedByPeer();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
