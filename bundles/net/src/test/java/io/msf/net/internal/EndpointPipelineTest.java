package io.msf.net.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import io.msf.mempool.api.MemoryLimitExceededException;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class EndpointPipelineTest {

    private static final String LABEL = "endpoint 'echo' of test.bundle";

    private final Logger log = mock(Logger.class);
    private final EndpointCounters counters = new EndpointCounters();
    private EmbeddedChannel channel;

    @AfterEach
    void release() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel channel(EndpointSpec spec, ChannelSetup setup) {
        channel = new EmbeddedChannel(new EndpointPipeline(new EndpointLabel(LABEL), spec, setup, counters, null, log));
        return channel;
    }

    @Test
    void lengthFieldFramesAreEchoedWithTheirLengthField() {
        channel(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup());

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 5}, "hello".getBytes(UTF_8)));

        assertThat(readAllOutbound()).isEqualTo(frame4("hello"));
        assertThat(counters.bytesIn.sum()).isEqualTo(9);
        assertThat(counters.framesIn.sum()).isEqualTo(1);
        assertThat(counters.bytesOut.sum()).isEqualTo(9);
        assertThat(counters.errors.sum()).isZero();
    }

    @Test
    void aFrameSplitAcrossReadsIsReassembledWithATwoByteField() {
        channel(EndpointSpec.tcpServer("echo", 0).withFraming(Framing.LENGTH_FIELD, 2), new EchoChannelSetup());

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 'a'}));
        assertThat(channel.outboundMessages()).isEmpty();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'b', 'c', 0, 1, 'd'}));

        assertThat(readAllOutbound()).isEqualTo(new byte[] {0, 3, 'a', 'b', 'c', 0, 1, 'd'});
        assertThat(counters.framesIn.sum()).isEqualTo(2);
    }

    @Test
    void anOversizedFrameClosesTheConnectionBeforeItIsBuffered() {
        channel(EndpointSpec.tcpServer("echo", 0).withMaxFrameBytes(16), new EchoChannelSetup());

        // Only the length field arrives: the frame is refused on its announced size alone.
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0x10, 0}));

        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.errors.sum()).isEqualTo(1);
        // Netty's words counted the length field: "Adjusted frame length exceeds 20: 4100 - discarded".
        assertThat(counters.lastError()).isEqualTo("frame of 4096 bytes announced, larger than maxFrameBytes=16");
        verify(log).warn(contains("closing the connection from"), eq(LABEL), eq("embedded"),
                eq("frame of 4096 bytes announced, larger than maxFrameBytes=16"));
    }

    @Test
    void aPeerThatKeepsSendingOversizedFramesIsWarnedAboutOnceAMinute() {
        EndpointPipeline pipeline = new EndpointPipeline(new EndpointLabel(LABEL), EndpointSpec.tcpServer("echo", 0).withMaxFrameBytes(16),
                new EchoChannelSetup(), counters, null, log);
        for (int connection = 0; connection < 3; connection++) {
            EmbeddedChannel from = new EmbeddedChannel(pipeline);
            from.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0x10, 0}));
            assertThat(from.isOpen()).isFalse();
            from.finishAndReleaseAll();
        }

        assertThat(counters.errors.sum()).isEqualTo(3);
        verify(log).warn(contains("closing the connection from"), eq(LABEL), eq("embedded"),
                contains("maxFrameBytes=16"));
        verify(log).debug(contains("closing the connection from"), eq(LABEL), eq("embedded"),
                contains("maxFrameBytes=16"), eq(2));
        verify(log, times(2)).debug(contains("closing the connection from"), eq(LABEL), eq("embedded"),
                contains("maxFrameBytes=16"), anyInt());
        verifyNoMoreInteractions(log);
    }

    /**
     * A frame cut short by the peer's close went without a line or a count: Netty's length-field decoder drops
     * what is left at the end of the input, and a peer that dies mid-frame looked like one that said goodbye.
     */
    @Test
    void aFrameCutShortByThePeersCloseIsCountedAndWarnedAbout() {
        channel(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup());

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 5}, "hel".getBytes(UTF_8)));
        closedByThePeer();

        String reason = "truncated frame: the connection closed after 3 of its 5 bytes";
        assertThat(counters.errors.sum()).isEqualTo(1);
        assertThat(counters.lastError()).isEqualTo(reason);
        assertThat(LoggedLines.of(log, "warn")).containsExactly(LABEL + ": closing the connection from embedded: "
                + reason);
    }

    @Test
    void aLengthFieldCutShortByThePeersCloseIsCountedAndWarnedAbout() {
        channel(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup());

        channel.writeInbound(Unpooled.wrappedBuffer(frame4("hello"), new byte[] {0, 0}));
        closedByThePeer();

        assertThat(readAllOutbound()).isEqualTo(frame4("hello"));
        assertThat(counters.lastError())
                .isEqualTo("truncated frame: the connection closed after 2 of the 4 bytes of its length field");
        assertThat(counters.errors.sum()).isEqualTo(1);
    }

    /**
     * After a half-close the end of the input is told at once, and again (with nothing left) when the
     * connection closes: one line. The connection stays open for the answers on their way.
     */
    @Test
    void aFrameCutShortByAHalfCloseIsToldOnceAndLeavesTheAnswersTheirWay() {
        channel(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup());

        channel.writeInbound(Unpooled.wrappedBuffer(frame4("hello"), new byte[] {0, 0, 0, 9, 'x'}));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        assertThat(readAllOutbound()).isEqualTo(frame4("hello"));
        assertThat(counters.lastError()).isEqualTo("truncated frame: the connection closed after 1 of its 9 bytes");
        channel.close();
        assertThat(counters.errors.sum()).isEqualTo(1);
        assertThat(LoggedLines.of(log, "warn")).hasSize(1);
    }

    @Test
    void aConnectionClosedAfterAnOversizedFrameIsNotToldTruncatedToo() {
        channel(EndpointSpec.tcpServer("echo", 0).withMaxFrameBytes(16), new EchoChannelSetup());

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0x10, 0, 'a', 'b'}));

        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.errors.sum()).isEqualTo(1);
        assertThat(counters.lastError()).contains("maxFrameBytes=16");
    }

    /**
     * A close made here (by the owner, the endpoint's stop, an error) leaves the rest of a frame unread: no fault
     * of the peer's, and an error already told is not told twice.
     */
    @Test
    void aConnectionClosedHereInTheMiddleOfAFrameIsNoTruncatedFrame() {
        channel(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup());

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 5, 'h'}));
        channel.close();

        assertThat(counters.errors.sum()).isZero();
        assertThat(LoggedLines.of(log, "warn")).isEmpty();
    }

    @Test
    void aConnectionClosedForAHandlersErrorIsNotToldTruncatedToo() {
        ChannelInboundHandlerAdapter buggy = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
                throw new IllegalStateException("handler bug");
            }
        };
        channel(EndpointSpec.tcpServer("echo", 0), (ch, spec) -> ch.pipeline().addLast(buggy));

        channel.writeInbound(Unpooled.wrappedBuffer(frame4("x"), new byte[] {0, 0, 0, 5, 'h'}));

        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.errors.sum()).isEqualTo(1);
        assertThat(counters.lastError()).isEqualTo("IllegalStateException: handler bug");
    }

    @Test
    void aConnectionClosedBetweenFramesIsNoError() {
        channel(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup());

        channel.writeInbound(Unpooled.wrappedBuffer(frame4("hello")));
        closedByThePeer();

        assertThat(counters.errors.sum()).isZero();
        assertThat(LoggedLines.of(log, "warn")).isEmpty();
    }

    @Test
    void aFrameOfExactlyTheMaximumIsAccepted() {
        channel(EndpointSpec.tcpServer("echo", 0).withMaxFrameBytes(3), new EchoChannelSetup());

        channel.writeInbound(Unpooled.wrappedBuffer(frame4("abc")));

        assertThat(channel.isOpen()).isTrue();
        assertThat(readAllOutbound()).isEqualTo(frame4("abc"));
    }

    /**
     * maxFrameBytes near Integer.MAX_VALUE, "no limit" in code (the configuration stops at 64 MiB), overflowed
     * with the length field added: Netty's decoder refused to be made, and every connection was closed as set up.
     */
    @Test
    void aMaximumOfIntegerMaxValueServesFrames() {
        channel(EndpointSpec.tcpServer("echo", 0).withMaxFrameBytes(Integer.MAX_VALUE), new EchoChannelSetup());

        channel.writeInbound(Unpooled.wrappedBuffer(frame4("hello")));

        assertThat(channel.isOpen()).isTrue();
        assertThat(readAllOutbound()).isEqualTo(frame4("hello"));
        assertThat(counters.errors.sum()).isZero();
    }

    @Test
    void withoutFramingBytesAreEchoedAsTheyArrive() {
        channel(EndpointSpec.tcpServer("echo", 0).withFraming(Framing.NONE, 4), new EchoChannelSetup());

        channel.writeInbound(Unpooled.copiedBuffer("raw bytes", UTF_8));
        channel.writeInbound(Unpooled.copiedBuffer("!", UTF_8));

        assertThat(new String(readAllOutbound(), UTF_8)).isEqualTo("raw bytes!");
        // One handler counts both: each chunk read is a frame here.
        assertThat(channel.pipeline().get("msf-frames")).isNull();
        assertThat(counters.framesIn.sum()).isEqualTo(2);
        assertThat(counters.bytesIn.sum()).isEqualTo(10);
        assertThat(counters.bytesOut.sum()).isEqualTo(10);
    }

    @Test
    void datagramsGoBackToTheirSender() {
        channel(EndpointSpec.udp("echo", 0), new EchoChannelSetup());
        InetSocketAddress sender = new InetSocketAddress("127.0.0.1", 40000);
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 7000);

        channel.writeInbound(new DatagramPacket(Unpooled.copiedBuffer("ping", UTF_8), local, sender));

        DatagramPacket reply = channel.readOutbound();
        try {
            assertThat(reply.recipient()).isEqualTo(sender);
            assertThat(reply.content().toString(UTF_8)).isEqualTo("ping");
        } finally {
            reply.release();
        }
        assertThat(counters.bytesOut.sum()).isEqualTo(4);
    }

    /**
     * The first oversized datagram of a socket's life was a WARN line, every later one DEBUG: a sender that
     * started to send them a day later was never seen. They are bounded per sender address and minute, as
     * the socket's other errors.
     */
    @Test
    void oversizedDatagramsAreAWarnLineForEachSenderAddressAMinute() {
        channel(EndpointSpec.udp("echo", 0).withMaxFrameBytes(4), new EchoChannelSetup());
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 7000);

        for (InetSocketAddress sender : List.of(new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("127.0.0.1", 40001), new InetSocketAddress("127.0.0.2", 40000))) {
            channel.writeInbound(new DatagramPacket(Unpooled.copiedBuffer("pingX", UTF_8), local, sender));
        }

        String line = LABEL + ": error on its UDP socket, which keeps serving, reading a datagram from %s: datagram"
                + " larger than maxFrameBytes=4 dropped";
        assertThat(LoggedLines.of(log, "warn")).containsExactly(String.format(line, "127.0.0.1:40000"),
                String.format(line, "127.0.0.2:40000"));
        assertThat(counters.errors.sum()).isEqualTo(3);
    }

    @Test
    void aDatagramOverTheMaximumIsDroppedAndCountedNotHandedOn() {
        channel(EndpointSpec.udp("echo", 0).withMaxFrameBytes(4), new EchoChannelSetup());
        InetSocketAddress sender = new InetSocketAddress("127.0.0.1", 40000);
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 7000);
        ByteBuf tooLarge = Unpooled.copiedBuffer("pingX", UTF_8);

        channel.writeInbound(new DatagramPacket(tooLarge, local, sender));

        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(tooLarge.refCnt()).isZero();
        assertThat(counters.framesIn.sum()).isZero();
        assertThat(counters.errors.sum()).isEqualTo(1);
        assertThat(counters.lastError()).contains("larger than maxFrameBytes=4").contains("127.0.0.1:40000");
        assertThat(channel.isOpen()).isTrue();

        channel.writeInbound(new DatagramPacket(Unpooled.copiedBuffer("ping", UTF_8), local, sender));

        DatagramPacket reply = channel.readOutbound();
        try {
            assertThat(reply.content().toString(UTF_8)).isEqualTo("ping");
        } finally {
            reply.release();
        }
    }

    @Test
    void aSenderWhoseDatagramsMakeTheHandlerThrowIsWarnedAboutOnceAMinute() throws Exception {
        IllegalStateException bug = new IllegalStateException("handler bug");
        ChannelInboundHandlerAdapter buggy = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((DatagramPacket) msg).release();
                throw bug;
            }
        };
        InetSocketAddress sender = new InetSocketAddress("192.0.2.7", 40000);
        // A real UDP channel, never bound: the error handler tells a UDP socket by its type.
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            NioDatagramChannel udp = new NioDatagramChannel();
            udp.pipeline().addLast(new EndpointPipeline(new EndpointLabel(LABEL), EndpointSpec.udp("echo", 0),
                    (ch, spec) -> ch.pipeline().addLast(buggy), counters, null, log));
            group.register(udp).sync();
            for (int datagram = 0; datagram < 3; datagram++) {
                udp.eventLoop().submit(() -> udp.pipeline().fireChannelRead(
                        new DatagramPacket(Unpooled.copiedBuffer("ping", UTF_8), null, sender))).sync();
            }
            assertThat(udp.isOpen()).isTrue();
            udp.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }

        assertThat(counters.errors.sum()).isEqualTo(3);
        verify(log).warn(contains("UDP socket"), eq(LABEL), eq("reading a datagram from 192.0.2.7:40000"),
                eq("IllegalStateException: handler bug"), eq(bug));
        verify(log).debug(contains("UDP socket"), eq(LABEL), eq("reading a datagram from 192.0.2.7:40000"),
                eq("IllegalStateException: handler bug"), eq(2));
        verify(log, times(2)).debug(contains("UDP socket"), eq(LABEL), eq("reading a datagram from 192.0.2.7:40000"),
                eq("IllegalStateException: handler bug"), anyInt());
        verifyNoMoreInteractions(log);
    }

    /**
     * A UDP socket over its owner's memory limit pauses reading a moment, and reads again only once its replies
     * can go out: resumed while it could not, it read on, the replies piling up.
     */
    @Test
    void aUdpSocketOverItsMemoryLimitReadsAgainOnlyOnceWritable() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            // A real UDP channel, never bound: the error handler tells a UDP socket by its type.
            NioDatagramChannel udp = new NioDatagramChannel();
            udp.pipeline().addLast(new EndpointPipeline(new EndpointLabel(LABEL), EndpointSpec.udp("echo", 0),
                    (ch, spec) -> { }, counters, null, log));
            group.register(udp).sync();
            udp.eventLoop().submit(() -> {
                udp.unsafe().outboundBuffer().setUserDefinedWritability(1, false); // replies waiting to go out
                udp.pipeline().fireExceptionCaught(new MemoryLimitExceededException("test.bundle", 2048, 0, 1024));
            }).sync();

            assertThat(udp.config().isAutoRead()).as("paused").isFalse();
            await().during(3 * EndpointErrorHandler.MEMORY_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                    .atMost(1, TimeUnit.SECONDS).until(() -> !udp.config().isAutoRead());

            udp.eventLoop().submit(() -> udp.unsafe().outboundBuffer().setUserDefinedWritability(1, true)).sync();
            await().atMost(1, TimeUnit.SECONDS).until(() -> udp.config().isAutoRead());
            udp.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void anExceptionInTheOwnersHandlerIsCountedAndClosesTheConnection() {
        ChannelInboundHandlerAdapter buggy = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
                throw new IllegalStateException("handler bug");
            }
        };
        channel(EndpointSpec.tcpServer("echo", 0), (ch, spec) -> ch.pipeline().addLast(buggy));

        channel.writeInbound(Unpooled.wrappedBuffer(frame4("x")));

        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.errors.sum()).isEqualTo(1);
        assertThat(counters.lastError()).isEqualTo("IllegalStateException: handler bug");
    }

    @Test
    void aFailingSetupClosesTheChannelAndIsCounted() {
        channel(EndpointSpec.tcpServer("echo", 0), (ch, spec) -> {
            throw new IllegalArgumentException("bad setup");
        });

        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.errors.sum()).isEqualTo(1);
        assertThat(counters.lastError()).contains("handler setup failed").contains("bad setup");
    }

    @Test
    void aClientsFailingSetupNamesTheServerAndShowsItsStackTraceOnce() {
        EndpointSpec spec = EndpointSpec.tcpClient("uplink", "192.0.2.1", 7000);
        IllegalArgumentException failure = new IllegalArgumentException("bad setup");
        // A client that keeps connecting builds a pipeline for each attempt, its counters staying.
        for (int attempt = 0; attempt < 2; attempt++) {
            EmbeddedChannel attempting = new EmbeddedChannel(new EndpointPipeline(new EndpointLabel(LABEL), spec, (ch, s) -> {
                throw failure;
            }, counters, null, log));
            assertThat(attempting.isOpen()).isFalse();
            attempting.finishAndReleaseAll();
        }

        verify(log).warn(contains("closing"), eq(LABEL), eq("the connection to 192.0.2.1:7000"),
                contains("bad setup"), eq(failure));
        verify(log).debug(contains("closing"), eq(LABEL), eq("the connection to 192.0.2.1:7000"),
                contains("bad setup"));
        verifyNoMoreInteractions(log);
    }

    @Test
    void newSettingsApplyToChannelsCreatedAfterwards() {
        EndpointPipeline pipeline = new EndpointPipeline(new EndpointLabel(LABEL), EndpointSpec.tcpServer("echo", 0),
                new EchoChannelSetup(), counters, null, log);
        pipeline.update(EndpointSpec.tcpServer("echo", 0).withFraming(Framing.NONE, 4), new EchoChannelSetup());
        channel = new EmbeddedChannel(pipeline);

        channel.writeInbound(Unpooled.copiedBuffer("no header", UTF_8));

        assertThat(new String(readAllOutbound(), UTF_8)).isEqualTo("no header");
        assertThat(pipeline.spec().framing()).isEqualTo(Framing.NONE);
    }

    /** As Netty closes a connection whose peer closed, without half-closure: not through the pipeline. */
    private void closedByThePeer() {
        channel.unsafe().close(channel.voidPromise());
        channel.runPendingTasks();
    }

    private byte[] readAllOutbound() {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            all.writeBytes(part);
            part.release();
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        return bytes;
    }

    static byte[] frame4(String payload) {
        byte[] body = payload.getBytes(UTF_8);
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }
}
