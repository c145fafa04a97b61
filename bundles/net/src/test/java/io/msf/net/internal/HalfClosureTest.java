package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.mockito.Mockito.mock;

import io.msf.event.api.Transport;
import io.msf.files.DataFolder;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Framing;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.service.log.Logger;

/**
 * A client that shuts down its output after its last request (a half-close) still gets the answers:
 * the server closes the connection only once they have gone out. Real sockets, for each transport.
 */
class HalfClosureTest {

    /** More than the kernel's socket buffers hold, so most of the answer is still queued at the end of the input. */
    private static final int ANSWER_BYTES = 16 << 20;
    /**
     * How long a connection whose input has ended may send nothing before it is closed, here: well above the
     * pauses of the clients that read (300 ms before the first read, 100 ms between reads), so that a pause of
     * the machine's (a GC, a busy CI box) does not pass for a stalled peer.
     */
    private static final long STALL_MILLIS = 2_000;
    /** A slow reader's pause between two reads. */
    private static final long SLOW_READ_PAUSE_MILLIS = 100;
    /** The stall time the endpoint is opened with: {@link #STALL_MILLIS} but where a test is not about it. */
    private long stallMillis = STALL_MILLIS;

    @TempDir
    Path dataDir;
    private TestLoops loops;
    private NetEndpoint server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (loops != null) {
            loops.close();
        }
    }

    /**
     * Not NIO's Unix sockets: Netty 4.2.18 closes them at the end of the input whatever ALLOW_HALF_CLOSURE
     * says (AbstractNioByteChannel reads the option only from a SocketChannelConfig, which their config is not).
     */
    @ParameterizedTest
    @CsvSource({"EPOLL, false", "EPOLL, true", "NIO, false"})
    void aClientThatShutsDownItsOutputGetsTheWholeAnswerThenTheEnd(Transport transport, boolean unix)
            throws Exception {
        // not about stalls: a client thread kept off the cores for 2 s (a loaded 2-core box) cut the answer short
        stallMillis = 60_000;
        server = open(transport, (unix ? EndpointSpec.udsServer("big", "big.sock")
                : EndpointSpec.tcpServer("big", 0)).withFraming(Framing.NONE, 4), (channel, spec) -> channel.pipeline().addLast(new BigAnswer()));

        long received = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (SocketChannel client = SocketChannel.open(unix ? StandardProtocolFamily.UNIX
                    : StandardProtocolFamily.INET)) {
                client.connect(address(unix));
                client.write(ByteBuffer.wrap(new byte[] {1}));
                client.shutdownOutput();
                // Not reading yet: the server reads the end of the input while the answer waits to go out.
                Thread.sleep(300);
                return readToTheEnd(client);
            }
        });

        assertThat(received).isEqualTo(ANSWER_BYTES);
    }

    /**
     * A peer that shuts down its output and then reads nothing would hold the connection, and the answer
     * queued for it, for ever: nothing it sends can come any more to show it is gone. Closed once none of
     * the answer went out for the stall time (here 2 s).
     */
    @ParameterizedTest
    @CsvSource({"EPOLL, false", "EPOLL, true", "NIO, false"})
    void aClientThatShutsDownItsOutputAndNeverReadsIsClosed(Transport transport, boolean unix) throws Exception {
        server = open(transport, (unix ? EndpointSpec.udsServer("big", "big.sock")
                : EndpointSpec.tcpServer("big", 0)).withFraming(Framing.NONE, 4), (channel, spec) -> channel.pipeline().addLast(new BigAnswer()));

        try (SocketChannel client = SocketChannel.open(unix ? StandardProtocolFamily.UNIX
                : StandardProtocolFamily.INET)) {
            client.connect(address(unix));
            client.write(ByteBuffer.wrap(new byte[] {1}));
            await().until(() -> server.info().connections() == 1);
            client.shutdownOutput();

            await().atMost(Duration.ofSeconds(10)).until(() -> server.info().connections() == 0);
        }
    }

    /**
     * A slow reader is no stalled one: a peer that shut down its output and takes its answer in small bites,
     * with pauses shorter than the stall time, gets all of it.
     */
    @ParameterizedTest
    @CsvSource({"EPOLL", "NIO"})
    void aClientThatShutsDownItsOutputAndReadsSlowlyGetsTheWholeAnswer(Transport transport) throws Exception {
        server = open(transport, EndpointSpec.tcpServer("big", 0).withFraming(Framing.NONE, 4),
                (channel, spec) -> channel.pipeline().addLast(new BigAnswer()));

        long received = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET)) {
                client.connect(address(false));
                client.write(ByteBuffer.wrap(new byte[] {1}));
                client.shutdownOutput();
                ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
                long total = 0;
                for (int n = client.read(buffer); n >= 0; n = client.read(buffer)) {
                    total += n;
                    buffer.clear();
                    Thread.sleep(SLOW_READ_PAUSE_MILLIS);
                }
                return total;
            }
        });

        assertThat(received).isEqualTo(ANSWER_BYTES);
    }

    /**
     * NIO's Unix-socket channels have no ALLOW_HALF_CLOSURE (see above): Netty's bootstrap said so in a
     * WARN line for each connection a server accepted and each a client made, filling the log.
     */
    @ParameterizedTest
    @CsvSource({"EPOLL", "NIO"})
    void aUnixSocketConnectionIsMadeWithoutAWarningOfAnOptionItsChannelHasNot(Transport transport) throws Exception {
        assertThat(InternalLoggerFactory.getDefaultFactory()).as("Netty logs through java.util.logging here")
                .isInstanceOf(JdkLoggerFactory.class);
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger bootstraps = java.util.logging.Logger.getLogger("io.netty.bootstrap");
        bootstraps.addHandler(handler);
        NetEndpoint client = null;
        try {
            server = open(transport, EndpointSpec.udsServer("echo", "echo.sock"), new EchoChannelSetup());
            EndpointOpener opener = opener();
            client = opener.open(EndpointSpec.udsClient("to-echo", "echo.sock"), new EchoChannelSetup(), closed -> { });
            try (SocketChannel other = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                other.connect(UnixDomainSocketAddress.of(dataDir.resolve("echo.sock")));
                other.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 'x'}));
                other.read(ByteBuffer.allocate(5)); // echoed: the connection was accepted and set up
            }
        } finally {
            bootstraps.removeHandler(handler);
            if (client != null) {
                client.close();
            }
        }

        assertThat(warnings).extracting(LogRecord::getMessage).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"EPOLL", "NIO"})
    void aFramedEchoAnswersTheLastFrameAndWritesNothingMoreBeforeTheEnd(Transport transport) throws Exception {
        server = open(transport, EndpointSpec.tcpServer("echo", 0).withFraming(Framing.LENGTH_FIELD, 4),
                new EchoChannelSetup());

        ByteBuffer received = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET)) {
                client.connect(address(false));
                client.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 2, 'h', 'i'}));
                client.shutdownOutput();
                ByteBuffer all = ByteBuffer.allocate(64);
                while (client.read(all) >= 0) {
                    // to the end
                }
                return all.flip();
            }
        });

        assertThat(received.remaining()).as("the echoed frame, and no empty frame after it").isEqualTo(6);
    }

    /** Answers the first chunk it reads with {@link #ANSWER_BYTES} bytes, written at once. */
    private static final class BigAnswer extends ChannelInboundHandlerAdapter {
        private boolean answered;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (!answered) {
                answered = true;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[ANSWER_BYTES]));
            }
        }
    }

    private NetEndpoint open(Transport transport, EndpointSpec spec, ChannelSetup setup) {
        loops = TestLoops.of(transport);
        return opener().open(spec, setup, closed -> { });
    }

    private EndpointOpener opener() {
        DomainSocketFiles files = new DomainSocketFiles(DataFolder.of(Map.of("msf.data", dataDir.toString())::get));
        return new EndpointOpener("com.example.app", "", loops, ByteBufAllocator.DEFAULT, files, stallMillis,
                mock(Logger.class));
    }

    private SocketAddress address(boolean unix) {
        return unix ? UnixDomainSocketAddress.of(dataDir.resolve("big.sock"))
                : new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
    }

    private static long readToTheEnd(SocketChannel client) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long total = 0;
        for (int n = client.read(buffer); n >= 0; n = client.read(buffer)) {
            total += n;
            buffer.clear();
        }
        return total;
    }
}
