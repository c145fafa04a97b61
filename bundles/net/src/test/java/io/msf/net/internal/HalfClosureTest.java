package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
        DomainSocketFiles files = new DomainSocketFiles(DataFolder.of(Map.of("msf.data", dataDir.toString())::get));
        EndpointOpener opener = new EndpointOpener("com.example.app", "", loops, ByteBufAllocator.DEFAULT, files,
                mock(Logger.class));
        return opener.open(spec, setup, closed -> { });
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
