package io.msf.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.msf.event.api.EventLoopService;
import io.msf.event.api.Transport;
import io.msf.log.api.LogConsole;
import io.msf.log.api.LogLine;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.NetworkService;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * A connection whose peer has shut down its output gets an answer written late, larger than the socket
 * holds, whole, over TCP and a Unix socket: in the container, where the network bundle keeps an epoll
 * connection in its epoll set by calling into Netty's epoll bundle (a call that fails there only logs a
 * WARN and leaves the answer to be cut).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LateAnswerAfterHalfCloseIT extends MsfTestSupport {

    private static final byte[] REQUEST = "the last request".getBytes(StandardCharsets.UTF_8);
    /** Far beyond what the sockets hold: most of it waits in Netty until the peer reads. */
    private static final byte[] LATE_ANSWER = numberedBytes(16 << 20);
    /**
     * How long after the end of the input the late answer is written, as the unit test has it: Netty has
     * dropped the connection's read interest by then (without the network bundle's help, its epoll set too).
     */
    private static final long LATE_MILLIS = 200;
    private static final String NOT_KEPT = "epoll connections are not kept";

    @Inject
    private NetworkService net;

    @Inject
    private EventLoopService loops;

    @Inject
    private LoggerFactory loggers;

    private final AtomicReference<Channel> connection = new AtomicReference<>();
    private final CountDownLatch lateAnswerWritten = new CountDownLatch(1);

    @Test
    public void aTcpPeerThatShutItsOutputGetsALateLargeAnswerWhole() throws Exception {
        Endpoint endpoint = net.open(EndpointSpec.tcpServer("itest-late-tcp", 0), this::answerLate);
        try {
            int port = ((InetSocketAddress) endpoint.localAddress()).getPort();
            askAndReadBothAnswers(new InetSocketAddress(EndpointSpec.LOOPBACK, port));
        } finally {
            endpoint.close();
        }
    }

    @Test
    public void aUnixSocketPeerThatShutItsOutputGetsALateLargeAnswerWhole() throws Exception {
        Path socket = dataDir().resolve("late.sock");
        Endpoint endpoint = net.open(EndpointSpec.udsServer("itest-late-uds", socket.toString()), this::answerLate);
        try {
            askAndReadBothAnswers(UnixDomainSocketAddress.of(socket));
        } finally {
            endpoint.close();
        }
    }

    private void answerLate(Channel channel, EndpointSpec spec) {
        connection.set(channel);
        channel.pipeline().addLast(new LateAnswer(lateAnswerWritten));
    }

    /** Sends the request, shuts its output down, and reads the echo, then the late answer, then the end. */
    private void askAndReadBothAnswers(SocketAddress address) throws Exception {
        try (FramedClient client = FramedClient.connect(address)) {
            client.sendFrame(REQUEST);
            client.shutdownOutput();

            assertArrayEquals("the request echoed", REQUEST, client.readFrame());
            // Unread, the late answer fills what the sockets hold: Netty keeps the rest, waiting for room.
            assertTrue("the late answer written",
                    lateAnswerWritten.await(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
            assertArrayEquals("the late answer", LATE_ANSWER, client.readFrame());
            client.awaitClosedByPeer();
        }
        assertOnEpollWhereItIsProvisioned(connection.get());
        assertNoWarningThatConnectionsAreNotKept();
    }

    /** The container ships Netty's linux-x86_64 epoll native: there, a NIO connection would test nothing. */
    private void assertOnEpollWhereItIsProvisioned(Channel channel) {
        if ("Linux".equals(System.getProperty("os.name"))
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"))) {
            assertEquals(Transport.EPOLL, loops.transport());
            assertTrue("an epoll connection: " + channel, channel instanceof AbstractEpollStreamChannel);
        }
    }

    /** The log hands its records on in order: those of the connection are in the tail before a record logged now. */
    private void assertNoWarningThatConnectionsAreNotKept() {
        LogConsole log = service(LogConsole.class);
        String marker = "late answers read " + UUID.randomUUID();
        loggers.getLogger(context.getBundle(), "itest", Logger.class).warn(marker);
        List<LogLine> lines = Await.value("the log tail up to '" + marker + "'", () -> log.tail(log.tailSize()),
                tail -> tail.stream().anyMatch(line -> line.message().contains(marker)));
        for (LogLine line : lines) {
            assertFalse("logged: " + line, line.message().contains(NOT_KEPT));
        }
    }

    /** Bytes that differ from their neighbours, so that a lost or repeated stretch shows. */
    private static byte[] numberedBytes(int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) (i ^ (i >>> 8) ^ (i >>> 16));
        }
        return bytes;
    }

    /**
     * Echoes the request at once; once the input has ended and the echo has gone out, writes the large answer
     * {@link #LATE_MILLIS} later, as an owner whose answer comes from elsewhere, holding the end of the input
     * until then (the endpoint closes the connection once what was written before it has gone out).
     */
    private static final class LateAnswer extends ChannelInboundHandlerAdapter {
        private final CountDownLatch written;
        private ChannelFuture echoed;

        LateAnswer(CountDownLatch written) {
            this.written = written;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            echoed = ctx.writeAndFlush(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (!(event instanceof ChannelInputShutdownEvent) || echoed == null) {
                ctx.fireUserEventTriggered(event);
                return;
            }
            echoed.addListener(drained -> ctx.executor().schedule(() -> {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(LATE_ANSWER));
                ctx.fireUserEventTriggered(event);
                written.countDown();
            }, LATE_MILLIS, TimeUnit.MILLISECONDS));
        }
    }
}
