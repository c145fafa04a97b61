package io.msf.net.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** The server a client endpoint under test connects to, played by the test with plain sockets. */
final class LoopbackServers {

    private LoopbackServers() {
    }

    /** Listens on {@code port} of the loopback address, which the client may have left in TIME_WAIT. */
    static ServerSocket listen(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return server;
    }

    /** The client's next connection, waited for up to {@code patience}; reading from it waits 5 s at most. */
    static Socket accept(ServerSocket server, Duration patience) throws IOException {
        server.setSoTimeout((int) patience.toMillis());
        Socket accepted = server.accept();
        accepted.setSoTimeout(5000);
        return accepted;
    }
}
