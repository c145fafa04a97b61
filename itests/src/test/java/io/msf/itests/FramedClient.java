package io.msf.itests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A plain JDK client for length-field framed endpoints (4-byte big-endian length, then the
 * payload), over TCP or a Unix domain socket. Independent of Netty on purpose: it checks the
 * bytes the container puts on the wire, not the container's own codec.
 */
public final class FramedClient implements AutoCloseable {

    private final BlockingSocket socket;

    private FramedClient(BlockingSocket socket) {
        this.socket = socket;
    }

    public static FramedClient tcp(int port) throws IOException {
        return connect(new InetSocketAddress("127.0.0.1", port));
    }

    public static FramedClient uds(Path path) throws IOException {
        return connect(UnixDomainSocketAddress.of(path));
    }

    public static FramedClient connect(SocketAddress address) throws IOException {
        return new FramedClient(BlockingSocket.connect(address, 0));
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
        sendRaw(ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip());
    }

    /** Sends bytes as they are, e.g. a length field announcing more than the endpoint accepts. */
    public void sendRaw(ByteBuffer bytes) throws IOException {
        socket.send(bytes);
    }

    /** Says this client's last word (a half-close): it sends nothing more, and reads on. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    public byte[] readFrame() throws IOException {
        long deadline = System.currentTimeMillis() + Await.TIMEOUT_MILLIS;
        ByteBuffer length = socket.readFully(ByteBuffer.allocate(4), deadline);
        return socket.readFully(ByteBuffer.allocate(length.getInt(0)), deadline).array();
    }

    /** Waits until the peer closes the connection; fails if it is still open at the timeout. */
    public void awaitClosedByPeer() throws IOException {
        socket.awaitClosedByPeer();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
