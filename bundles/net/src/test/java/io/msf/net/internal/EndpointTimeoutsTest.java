package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.event.api.Transport;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Framing;
import io.msf.net.api.TlsSpec;
import io.msf.net.testing.TestKeys;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.log.Logger;

/**
 * An endpoint's own connect and TLS handshake timeouts, against peers that never answer: they end
 * the attempt after about the time set, not after the 5 s and 10 s that were fixed before. And its
 * idle timeout, which closes a connection nothing was read or written on for that long.
 */
class EndpointTimeoutsTest {

    /** Far below the defaults, far above what a loopback connection or handshake needs. */
    private static final long PROMPTLY_MILLIS = 3000;

    @TempDir
    static Path keyDir;
    static TestKeys keys;
    static TestLoops loops;

    private BundleNetworkService app;
    private final List<AutoCloseable> peers = new ArrayList<>();

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = TestKeys.in(keyDir);
        loops = new TestLoops(Transport.NIO);
    }

    @AfterAll
    static void stopLoops() {
        loops.close();
    }

    @AfterEach
    void release() throws Exception {
        if (app != null) {
            app.deactivate();
        }
        for (AutoCloseable peer : peers) {
            peer.close();
        }
    }

    @Test
    void aTlsClientGivesUpOnASilentServerAfterItsHandshakeTimeout() throws Exception {
        // The kernel accepts the connection; nobody ever reads the client's hello.
        ServerSocket silent = keep(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        EndpointSpec spec = EndpointSpec.tcpClient("impatient", "127.0.0.1", silent.getLocalPort())
                .withTls(TlsSpec.client(keys.serverTrust, TestKeys.PASSWORD)).withTlsHandshakeTimeoutMillis(300);

        long start = System.nanoTime();
        assertThatThrownBy(() -> app().open(spec, new Collector()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("endpoint 'impatient' of com.example.app: TLS handshake with 127.0.0.1:"
                        + silent.getLocalPort() + " failed: handshake timed out after 300ms");
        assertThat(millisSince(start)).isBetween(300L, PROMPTLY_MILLIS);
    }

    @Test
    void aTlsServerClosesAConnectionThatSaysNothingAfterItsHandshakeTimeout() throws Exception {
        Endpoint server = app().open(EndpointSpec.tcpServer("echo", 0)
                .withTls(TlsSpec.server(keys.server, TestKeys.PASSWORD)).withTlsHandshakeTimeoutMillis(300),
                new EchoChannelSetup());
        int port = ((InetSocketAddress) server.localAddress()).getPort();

        try (Socket mute = new Socket(InetAddress.getLoopbackAddress(), port)) {
            mute.setSoTimeout((int) PROMPTLY_MILLIS);
            long start = System.nanoTime();
            assertThat(readsToTheEnd(mute)).as("closed by the server before the read timed out").isTrue();
            assertThat(millisSince(start)).isLessThan(PROMPTLY_MILLIS);
        }
    }

    @Test
    void aServerClosesAConnectionIdleForItsIdleTimeoutAndKeepsOneThatTalks() throws Exception {
        Endpoint server = app().open(EndpointSpec.tcpServer("echo", 0).withIdleTimeoutMillis(500),
                new EchoChannelSetup());
        int port = ((InetSocketAddress) server.localAddress()).getPort();

        try (Socket mute = new Socket(InetAddress.getLoopbackAddress(), port);
                Socket talking = new Socket(InetAddress.getLoopbackAddress(), port)) {
            mute.setSoTimeout(50);
            talking.setSoTimeout((int) PROMPTLY_MILLIS);
            long start = System.nanoTime();
            // The talking one says something every 50 ms, far more often than the idle timeout, until the mute
            // one is closed.
            while (!readsToTheEnd(mute)) {
                assertThat(millisSince(start)).as("the mute connection closed within " + PROMPTLY_MILLIS + " ms")
                        .isLessThan(PROMPTLY_MILLIS);
                assertThat(echo(talking, "still here")).isEqualTo("still here");
            }
            assertThat(millisSince(start)).as("not before the idle timeout (less the time to connect)")
                    .isGreaterThan(400L);
            assertThat(echo(talking, "kept")).isEqualTo("kept");
        }
    }

    @Test
    void withoutAnIdleTimeoutASilentConnectionStaysOpen() throws Exception {
        Endpoint server = app().open(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup());
        int port = ((InetSocketAddress) server.localAddress()).getPort();

        try (Socket mute = new Socket(InetAddress.getLoopbackAddress(), port)) {
            mute.setSoTimeout(1000);
            assertThat(readsToTheEnd(mute)).as("still open after a second of silence").isFalse();
            assertThat(echo(mute, "after the silence")).isEqualTo("after the silence");
        }
    }

    @Test
    void aConnectionWhosePeerIsStillReadingALongWriteIsNotIdle() throws Exception {
        int size = 16 << 20; // far more than the sockets' buffers hold
        Endpoint server = app().open(EndpointSpec.tcpServer("sender", 0).withFraming(Framing.NONE, 4)
                .withIdleTimeoutMillis(300), (channel, spec) -> {
                    // small, so that the write goes out of Netty as the reader takes it, not into the kernel at once
                    channel.config().setOption(ChannelOption.SO_SNDBUF, 64 * 1024);
                    channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            ctx.writeAndFlush(ctx.alloc().buffer(size).writeZero(size));
                            ctx.fireChannelActive();
                        }
                    });
                });
        int port = ((InetSocketAddress) server.localAddress()).getPort();

        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(64 * 1024);
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            slow.setSoTimeout((int) PROMPTLY_MILLIS);
            InputStream in = slow.getInputStream();
            byte[] chunk = new byte[64 * 1024];
            long received = 0;
            long start = System.nanoTime();
            // A slow reader for three times the idle timeout: the write goes out all along, a little at a time.
            while (millisSince(start) < 900) {
                int read = in.read(chunk);
                assertThat(read).as("the connection still open after " + received + " bytes").isPositive();
                received += read;
                TimeUnit.MILLISECONDS.sleep(20); // the reader's pace, not a wait for something to happen
            }
            while (received < size) {
                int read = in.read(chunk);
                if (read < 0) {
                    break;
                }
                received += read;
            }
            assertThat(received).as("bytes of the write that arrived").isEqualTo(size);
        }
    }

    /** Sends {@code text} as one length-field frame and reads the echoed frame. */
    private static String echo(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] echoed = new byte[in.readInt()];
        in.readFully(echoed);
        return new String(echoed, StandardCharsets.UTF_8);
    }

    @Test
    void aClientGivesUpOnAServerThatDoesNotAcceptAfterItsConnectTimeout() throws Exception {
        ServerSocket full = keep(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        fillAcceptQueue(full);
        EndpointSpec spec = EndpointSpec.tcpClient("impatient", "127.0.0.1", full.getLocalPort())
                .withConnectTimeoutMillis(300);

        long start = System.nanoTime();
        assertThatThrownBy(() -> app().open(spec, new Collector()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("endpoint 'impatient' of com.example.app: cannot connect to 127.0.0.1:"
                        + full.getLocalPort() + ": connection timed out after 300 ms");
        assertThat(millisSince(start)).isBetween(300L, PROMPTLY_MILLIS);
    }

    /**
     * Connects until a connection is not made within a moment: the listener's accept queue is then
     * full, and Linux drops the next connection's SYN instead of answering it, so a connect hangs.
     */
    private void fillAcceptQueue(ServerSocket listener) throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket socket = keep(new Socket());
            try {
                socket.connect(listener.getLocalSocketAddress(), 200);
            } catch (SocketTimeoutException full) {
                return;
            }
        }
        throw new IllegalStateException("the accept queue of " + listener + " did not fill");
    }

    private BundleNetworkService app() {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn("com.example.app");
        ComponentContext context = mock(ComponentContext.class);
        when(context.getUsingBundle()).thenReturn(bundle);
        when(context.getBundleContext()).thenReturn(mock(BundleContext.class));
        app = new BundleNetworkService(context, loops, new TestPools(), new EndpointRegistry(), mock(Logger.class));
        return app;
    }

    private <T extends AutoCloseable> T keep(T peer) {
        peers.add(peer);
        return peer;
    }

    /** Whether the peer closed the connection (end of stream) rather than the read timing out. */
    static boolean readsToTheEnd(Socket socket) throws IOException {
        try {
            while (socket.getInputStream().read() >= 0) {
                // a server's TLS alert, if any, before the end
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
