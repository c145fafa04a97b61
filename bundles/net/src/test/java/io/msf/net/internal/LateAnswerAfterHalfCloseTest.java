package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.mockito.Mockito.mock;

import io.msf.event.api.EventLoopService;
import io.msf.event.api.Transport;
import io.msf.files.DataFolder;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Framing;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.service.log.Logger;

/**
 * A connection whose peer has shut down its output, answered late, a server's or a client's: the answer, larger
 * than the socket holds, still arrives whole, and a peer gone meanwhile does not keep the event loop busy. Real
 * sockets.
 */
class LateAnswerAfterHalfCloseTest {

    private static final int ANSWER_BYTES = 16 << 20;
    /** How long the loops are watched; a loop woken without end would spend about all of it on its core. */
    private static final long WATCH_MILLIS = 1_000;
    /** The name of the handler that keeps an epoll connection in its epoll set (EndpointPipeline). */
    private static final String KEEPER = "msf-epoll-registration";

    @TempDir
    Path dataDir;
    private TestLoops loops;
    private NetEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
        if (loops != null) {
            loops.close();
        }
    }

    /** Written after a drain of the connection's output: its first write, 200 ms after the end of its input. */
    @ParameterizedTest
    @CsvSource({"EPOLL, false", "EPOLL, true", "NIO, false"})
    void aLateLargeAnswerArrivesWhole(Transport transport, boolean unix) throws Exception {
        open(transport, unix, (channel, spec) -> channel.pipeline().addLast(new LateAnswer()));

        long received = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (SocketChannel client = halfClosedClient(unix)) {
                return readToTheEnd(client);
            }
        });

        assertThat(received).isEqualTo(ANSWER_BYTES);
    }

    /** The same for a client's connection, whose server shut down its output. */
    @ParameterizedTest
    @CsvSource({"EPOLL, false", "EPOLL, true", "NIO, false"})
    void aClientsLateLargeAnswerArrivesWhole(Transport transport, boolean unix) throws Exception {
        loops = TestLoops.of(transport);
        try (ServerSocketChannel peer = ServerSocketChannel.open(unix ? StandardProtocolFamily.UNIX
                : StandardProtocolFamily.INET)) {
            peer.bind(unix ? UnixDomainSocketAddress.of(dataDir.resolve("peer.sock"))
                    : new InetSocketAddress("127.0.0.1", 0));
            EndpointSpec spec = unix ? EndpointSpec.udsClient("late", "peer.sock")
                    : EndpointSpec.tcpClient("late", "127.0.0.1",
                            ((InetSocketAddress) peer.getLocalAddress()).getPort());
            endpoint = opener().open(spec.withFraming(Framing.NONE, 4),
                    (channel, endpointSpec) -> channel.pipeline().addLast(new LateAnswer()), closed -> { });

            long received = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                try (SocketChannel connection = peer.accept()) {
                    connection.write(ByteBuffer.wrap(new byte[] {1}));
                    connection.shutdownOutput();
                    return readToTheEnd(connection);
                }
            });

            assertThat(received).isEqualTo(ANSWER_BYTES);
        }
    }

    /**
     * A peer that leaves after its half-close while its answer is still held: the connection is then reported
     * hung up (and a reset one in error too) whatever its epoll set asks for, which must not wake its loop again
     * and again. A Unix-socket peer hangs up by closing; a TCP peer only by resetting the connection, since a
     * TCP connection whose own output is still open is no hang-up after a plain close. Epoll only: what this
     * guards is the edge-triggered interest an epoll connection is given at the end of its input
     * ({@link EpollRegistrationKeeper}); a NIO connection has none of it.
     */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void anEpollPeerGoneBeforeItsAnswerLeavesTheLoopIdle(boolean unix) throws Exception {
        open(Transport.EPOLL, unix, (channel, spec) -> channel.pipeline().addLast(new HeldAnswer()));
        try (SocketChannel client = halfClosedClient(unix)) {
            Thread.sleep(200); // the server reads the end of the input
            if (!unix) {
                client.setOption(StandardSocketOptions.SO_LINGER, 0); // the close resets the connection
            }
        }
        Thread.sleep(200); // and the close

        List<Long> loopThreads = loopThreads(loops);
        long before = cpuNanos(loopThreads);
        Thread.sleep(WATCH_MILLIS);
        long spent = cpuNanos(loopThreads) - before;

        assertThat(TimeUnit.NANOSECONDS.toMillis(spent)).as("CPU ms of the loops in %d ms", WATCH_MILLIS)
                .isLessThan(WATCH_MILLIS / 4);
    }

    /** The keeper's flags stay with the channel: it has nothing more to do in the pipeline once the input ended. */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void theEpollKeeperLeavesThePipelineOnceTheInputHasEnded(boolean unix) throws Exception {
        CompletableFuture<List<String>> atActive = new CompletableFuture<>();
        CompletableFuture<List<String>> afterTheEnd = new CompletableFuture<>();
        open(Transport.EPOLL, unix, (channel, spec) -> channel.pipeline().addLast(new HeldAnswer() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                atActive.complete(ctx.pipeline().names());
                ctx.fireChannelActive();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof ChannelInputShutdownEvent) {
                    // once the event has gone back through the handlers before this one
                    ctx.executor().execute(() -> afterTheEnd.complete(ctx.pipeline().names()));
                }
                super.userEventTriggered(ctx, event);
            }
        }));

        try (SocketChannel client = halfClosedClient(unix)) {
            assertThat(atActive.get(5, TimeUnit.SECONDS)).contains(KEEPER);
            assertThat(afterTheEnd.get(5, TimeUnit.SECONDS)).doesNotContain(KEEPER);
        }
    }

    /** Opens a server, TCP or Unix socket, the connections it accepts set up by {@code setup}. */
    private void open(Transport transport, boolean unix, ChannelSetup setup) {
        loops = TestLoops.of(transport);
        endpoint = opener().open((unix ? EndpointSpec.udsServer("late", "late.sock")
                : EndpointSpec.tcpServer("late", 0)).withFraming(Framing.NONE, 4), setup, closed -> { });
    }

    private EndpointOpener opener() {
        DomainSocketFiles files = new DomainSocketFiles(DataFolder.of(Map.of("msf.data", dataDir.toString())::get));
        return new EndpointOpener("com.example.app", "", loops, ByteBufAllocator.DEFAULT, files, 60_000,
                mock(Logger.class));
    }

    private static long readToTheEnd(SocketChannel channel) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long total = 0;
        for (int n = channel.read(buffer); n >= 0; n = channel.read(buffer)) {
            total += n;
            buffer.clear();
        }
        return total;
    }

    /** A client that has sent one byte and shut down its output. */
    private SocketChannel halfClosedClient(boolean unix) throws Exception {
        SocketChannel client = SocketChannel.open(unix ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
        client.connect(unix ? UnixDomainSocketAddress.of(dataDir.resolve("late.sock"))
                : new InetSocketAddress("127.0.0.1", ((InetSocketAddress) endpoint.localAddress()).getPort()));
        client.write(ByteBuffer.wrap(new byte[] {1}));
        client.shutdownOutput();
        return client;
    }

    private static List<Long> loopThreads(TestLoops loops) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (EventExecutor loop : loops.group(EventLoopService.IO_GROUP)) {
            ids.add(loop.submit(() -> Thread.currentThread().getId()).get(5, TimeUnit.SECONDS));
        }
        return ids;
    }

    private static long cpuNanos(List<Long> threads) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return threads.stream().mapToLong(mx::getThreadCpuTime).sum();
    }

    /** Holds the end of the input and answers 200 ms after it, as an owner whose answer comes from elsewhere. */
    private static final class LateAnswer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                ctx.executor().schedule(() -> {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[ANSWER_BYTES]));
                    ctx.fireUserEventTriggered(event);
                }, 200, TimeUnit.MILLISECONDS);
                return;
            }
            ctx.fireUserEventTriggered(event);
        }
    }

    /** Holds the end of the input, its answer still to come: the connection stays open. */
    private static class HeldAnswer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (!(event instanceof ChannelInputShutdownEvent)) {
                ctx.fireUserEventTriggered(event);
            }
        }
    }
}
