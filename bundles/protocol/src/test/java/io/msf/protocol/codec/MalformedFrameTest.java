package io.msf.protocol.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Hello;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every class of malformed input: the decoder names the fault and its offset, the peer gets a
 * closing ERROR frame saying the same, the connection is closed, and nothing leaks.
 */
class MalformedFrameTest {

    private static final int MAX_FRAME = 4096;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final EmbeddedChannel channel = alloc.channel();

    MalformedFrameTest() {
        AgentCodec.addTo(channel.pipeline(), MAX_FRAME);
    }

    @AfterEach
    void nothingLeaks() {
        channel.finishAndReleaseAll();
        assertThat(alloc.unreleased()).isEmpty();
    }

    /** The 58-byte REQUEST of {@link Frames#request()}, one field spoiled, and what the decoder must say. */
    static Stream<Arguments> spoiledFields() {
        return Stream.of(
                spoiled("bad magic", f -> f.setShort(0, 0x4745), ErrorCode.BAD_FRAME, 0,
                        "bad magic 0x4745, expected 0x4d53 ('MS'): not an msf agent peer"),
                spoiled("wrong version", f -> f.setByte(2, 2), ErrorCode.UNSUPPORTED_VERSION, 2,
                        "unsupported protocol version 2 (this end speaks 1..1)"),
                spoiled("unknown type", f -> f.setByte(3, 0x7f), ErrorCode.BAD_FRAME, 3, "unknown message type 0x7f"),
                spoiled("type zero", f -> f.setByte(3, 0), ErrorCode.BAD_FRAME, 3, "unknown message type 0x00"),
                spoiled("length over the maximum before the HELLOs", f -> f.setInt(4, Protocol.SMALLEST_FRAME_LIMIT + 1),
                        ErrorCode.TOO_LARGE, 4, "frame length 1025 is over the maximum of 1024 bytes before the HELLOs"),
                spoiled("negative frame length", f -> f.setInt(4, -1), ErrorCode.BAD_FRAME, 4,
                        "negative frame length -1"),
                spoiled("frame length under the header", f -> f.setInt(4, 43), ErrorCode.BAD_FRAME, 4,
                        "frame length 43 is shorter than the 44-byte header"),
                spoiled("lying frame length", f -> f.setInt(4, 100), ErrorCode.BAD_FRAME, 4,
                        "lengths disagree: frame length 100, but header 44 + subject 4 + payload 10 = 58"),
                spoiled("flag of another type", f -> f.setShort(8, Message.FLAG_REPLACE), ErrorCode.BAD_FRAME, 8,
                        "flags 0x0001 are not defined for REQUEST"),
                spoiled("unknown flag", f -> f.setShort(8, 0x8000), ErrorCode.BAD_FRAME, 8,
                        "flags 0x8000 are not defined for REQUEST"),
                spoiled("unknown error code", f -> f.setShort(10, 999), ErrorCode.BAD_FRAME, 10,
                        "unknown error code 999"),
                spoiled("error code outside ERROR", f -> f.setShort(10, 1), ErrorCode.BAD_FRAME, 10,
                        "error code TIMEOUT in a REQUEST frame; only ERROR frames carry one"),
                spoiled("ERROR without a code", f -> f.setByte(3, MessageType.ERROR.code()), ErrorCode.BAD_FRAME, 10,
                        "ERROR frame without an error code"),
                spoiled("subject length over the bound", f -> f.setShort(12, 256), ErrorCode.BAD_FRAME, 12,
                        "subject length 256 is over the bound of 255 bytes"),
                spoiled("lying subject length", f -> f.setShort(12, 5), ErrorCode.BAD_FRAME, 4,
                        "lengths disagree: frame length 58, but header 44 + subject 5 + payload 10 = 59"),
                spoiled("reserved field set", f -> f.setShort(14, 1), ErrorCode.BAD_FRAME, 14,
                        "reserved field 0x0001 is not zero"),
                spoiled("timeout with the top bit", f -> f.setInt(28, 0x8000_0000), ErrorCode.BAD_FRAME, 28,
                        "timeout 0x80000000 has its top bit set (the most is 2147483647 ms)"),
                spoiled("negative payload length", f -> f.setInt(40, -10), ErrorCode.BAD_FRAME, 40,
                        "negative payload length -10"),
                spoiled("lying payload length", f -> f.setInt(40, 11), ErrorCode.BAD_FRAME, 4,
                        "lengths disagree: frame length 58, but header 44 + subject 4 + payload 11 = 59"),
                spoiled("subject not UTF-8", f -> f.setByte(45, 0xff), ErrorCode.BAD_FRAME, 44,
                        "subject is not valid UTF-8"));
    }

    private static Arguments spoiled(String name, Consumer<ByteBuf> spoil, ErrorCode code, long offset,
            String problem) {
        return Arguments.of(name, spoil, code, offset, problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spoiledFields")
    void aSpoiledFieldIsNamedWithItsOffset(String name, Consumer<ByteBuf> spoil, ErrorCode code, long offset,
            String problem) {
        ByteBuf frame = alloc.bytes(Frames.request());
        spoil.accept(frame);

        assertRejected(() -> channel.writeInbound(frame), code, offset, problem + " at offset " + offset);
    }

    @Test
    void garbageAfterAGoodFrameIsRejectedOnceTheGoodFrameIsDelivered() {
        ByteBuf input = alloc.bytes(Frames.request()).writeBytes("GET / HTTP/1.1\r\n".getBytes(UTF_8));

        assertRejected(() -> channel.writeInbound(input), ErrorCode.BAD_FRAME, 58,
                "garbage after frame #1: bad magic 0x4745, expected 0x4d53 ('MS') at offset 58");

        Message good = channel.readInbound();
        assertThat(good.subject()).isEqualTo("upnp");
        good.release();
        assertThat((Object) channel.readInbound()).isNull();
    }

    /** The reason, cut to 300 chars for the ERROR, was cut through a surrogate pair, sent as a '?'. */
    @Test
    void aLongReasonIsCutBetweenTwoCodePoints() {
        String reason = "x".repeat(299) + "\uD83C\uDFB5 and more";

        assertThat(catchThrowable(() -> {
            channel.pipeline().fireExceptionCaught(new MalformedFrameException(ErrorCode.BAD_FRAME, 0, reason));
            channel.checkException();
        })).hasMessage(reason);
        assertThat(channel.isOpen()).isFalse();
        assertClosingError(ErrorCode.BAD_FRAME, "x".repeat(299));
    }

    @Test
    void aFrameOverTheMaximumIsRefusedOnItsFirstEightBytes() {
        afterTheHellos();
        ByteBuf prefix = alloc.heapBuffer()
                .writeShort(Wire.MAGIC).writeByte(1).writeByte(MessageType.REQUEST.code()).writeInt(Integer.MAX_VALUE);

        assertRejected(() -> channel.writeInbound(prefix), ErrorCode.TOO_LARGE, 4,
                "frame length 2147483647 is over the maximum of 4096 bytes at offset 4");
    }

    /**
     * Until the HELLOs both ends assume the smallest limit (protocol.md, "Frame limit"): a peer that has not
     * said who it is, nor given its token, cannot make the agent hold a frame of the full limit while it waits.
     */
    @Test
    void beforeTheHellosAFrameOverTheSmallestLimitIsRefusedOnItsFirstEightBytes() {
        byte[] largest = Frames.encode(Message.notification(1, 0, 0,
                Unpooled.buffer().writeZero(Protocol.SMALLEST_FRAME_LIMIT - Wire.HEADER_BYTES)));
        channel.writeInbound(alloc.bytes(largest));
        Message received = channel.readInbound();
        assertThat(received.payload().readableBytes()).isEqualTo(Protocol.SMALLEST_FRAME_LIMIT - Wire.HEADER_BYTES);
        received.release();

        ByteBuf prefix = alloc.heapBuffer().writeShort(Wire.MAGIC).writeByte(1)
                .writeByte(MessageType.REQUEST.code()).writeInt(Protocol.SMALLEST_FRAME_LIMIT + 1);
        assertRejected(() -> channel.writeInbound(prefix), ErrorCode.TOO_LARGE, 4 + largest.length, "frame length "
                + (Protocol.SMALLEST_FRAME_LIMIT + 1) + " is over the maximum of " + Protocol.SMALLEST_FRAME_LIMIT
                + " bytes before the HELLOs at offset " + (4 + largest.length));
    }

    @Test
    void aFrameOfExactlyTheMaximumIsAccepted() {
        afterTheHellos();
        int payload = MAX_FRAME - Wire.HEADER_BYTES;
        byte[] frame = Frames.encode(Message.notification(1, 0, 0, Unpooled.buffer().writeZero(payload)));

        channel.writeInbound(alloc.bytes(frame));

        Message received = channel.readInbound();
        assertThat(received.payload().readableBytes()).isEqualTo(payload);
        received.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aHelloWithALyingTokenLengthIsRejected() {
        Message hello = Message.hello(0, "upnp", false,
                Hello.offer(MAX_FRAME, 0, "secret".getBytes(UTF_8)).write(alloc));
        ByteBuf frame = alloc.bytes(Frames.encode(hello));
        int body = Wire.HEADER_BYTES + 4;
        frame.setShort(body + 2, 9);

        assertRejected(() -> channel.writeInbound(frame), ErrorCode.BAD_FRAME, body, "bad HELLO body (token length 9 at"
                + " body offset 2 disagrees with the 18-byte body (expected 6)) at offset 48");
    }

    /**
     * The HELLOs are over once they agreed: a HELLO after them is a BAD_FRAME (protocol.md 7.1), named with its
     * offset as every other fault of a frame; refused by the agent's session, it named none.
     */
    @Test
    void aSecondHelloIsABadFrameNamedWithItsOffset() {
        byte[] hello = Frames.encode(Message.hello(0, "upnp", false, Hello.offer(MAX_FRAME, 0, null).write(alloc)));
        channel.writeInbound(alloc.bytes(hello));
        Message first = channel.readInbound();
        first.release();
        afterTheHellos();

        long at = hello.length + Wire.TYPE_OFFSET;
        assertRejected(() -> channel.writeInbound(alloc.bytes(hello)), ErrorCode.BAD_FRAME, at,
                "a second HELLO at offset " + at);
    }

    @Test
    void aConnectionClosedInsideAHeaderIsATruncatedFrame() {
        channel.writeInbound(alloc.bytes(new byte[] {0x4d, 0x53, 1, 2, 0}));

        assertTruncatedAtClose(5,
                "truncated frame: the connection closed after 5 bytes of a header (frame #1 starts at 0) at offset 5");
    }

    @Test
    void aConnectionClosedInsideABodyIsATruncatedFrame() {
        byte[] frame = Frames.request();
        ByteBuf input = alloc.bytes(frame).writeBytes(frame, 0, 50);
        channel.writeInbound(input);
        channel.<Message>readInbound().release();

        assertTruncatedAtClose(108, "truncated frame: the connection closed after 50 of its 58 bytes"
                + " (frame #2 starts at 58) at offset 108");
    }

    /**
     * The handlers behind the codec hear why the connection ended before they hear that it did: the
     * session fails its calls and logs the end with the reason, not as a connection lost for none.
     */
    @Test
    void aTruncatedFrameIsToldBeforeTheConnectionsEnd() {
        List<String> heard = listenBehindTheCodec(channel);
        channel.writeInbound(alloc.bytes(new byte[] {0x4d, 0x53, 1, 2, 0}));

        catchThrowable(() -> {
            channel.close();
            channel.checkException();
        });

        assertThat(heard).containsExactly("truncated frame: the connection closed after 5 bytes of a header"
                + " (frame #1 starts at 0) at offset 5", "inactive");
    }

    /** A half-close inside a frame: the truncated frame, then the end of the input, which the agent acts on too. */
    @Test
    void aTruncatedFrameAtAHalfCloseIsToldAndTheEndOfTheInputPassedOn() {
        List<Object> neverWritten = new ArrayList<>();
        EmbeddedChannel halfClosed = stalled(neverWritten);
        AgentCodec.addTo(halfClosed.pipeline(), MAX_FRAME);
        List<String> heard = listenBehindTheCodec(halfClosed);
        halfClosed.writeInbound(alloc.bytes(new byte[] {0x4d, 0x53, 1, 2, 0}));

        catchThrowable(() -> {
            halfClosed.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            halfClosed.checkException();
        });

        assertThat(heard).containsExactly("truncated frame: the connection closed after 5 bytes of a header"
                + " (frame #1 starts at 0) at offset 5", "input shut down");
        neverWritten.forEach(ReferenceCountUtil::release);
        halfClosed.finishAndReleaseAll();
    }

    /** What a handler behind the codec hears: the faults' messages and the ends, in their order. */
    private static List<String> listenBehindTheCodec(EmbeddedChannel channel) {
        List<String> heard = new ArrayList<>();
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                heard.add(cause.getMessage());
                ctx.fireExceptionCaught(cause);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof ChannelInputShutdownEvent) {
                    heard.add("input shut down");
                }
                ctx.fireUserEventTriggered(event);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                heard.add("inactive");
                ctx.fireChannelInactive();
            }
        });
        return heard;
    }

    @Test
    void afterAFaultEverythingThatFollowsIsDropped() {
        EmbeddedChannel bare = alloc.channel(new FrameDecoder(MAX_FRAME));
        catchThrowable(() -> bare.writeInbound(alloc.bytes(new byte[8])));

        bare.writeInbound(alloc.bytes(Frames.request()));

        assertThat((Object) bare.readInbound()).isNull();
        assertThat(bare.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aPeerThatDoesNotReadIsClosedAfterTheGraceWithoutItsError() {
        List<Object> neverWritten = new ArrayList<>();
        EmbeddedChannel stalled = stalled(neverWritten);
        AgentCodec.addTo(stalled.pipeline(), MAX_FRAME);
        // Only advanceTimeBy moves the channel's clock: a slow moment of the machine must not end the grace.
        stalled.freezeTime();

        catchThrowable(() -> stalled.writeInbound(alloc.bytes("GET / HTTP/1.1\r\n".getBytes(UTF_8))));
        stalled.advanceTimeBy(MalformedFrameHandler.CLOSE_GRACE_MILLIS - 1, TimeUnit.MILLISECONDS);
        stalled.runScheduledPendingTasks();
        boolean openWithinTheGrace = stalled.isOpen();
        stalled.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        stalled.runScheduledPendingTasks();

        assertThat(openWithinTheGrace).isTrue();
        assertThat(stalled.isOpen()).isFalse();
        neverWritten.forEach(ReferenceCountUtil::release);
        stalled.finishAndReleaseAll();
    }

    /** A channel whose writes never complete, as a socket whose peer has stopped reading; they go to {@code kept}. */
    private EmbeddedChannel stalled(List<Object> kept) {
        return alloc.channel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                kept.add(msg);
            }
        });
    }

    /** The peer goes away in the middle of a frame: nothing can be sent back. */
    private void assertTruncatedAtClose(long offset, String message) {
        Throwable thrown = catchThrowable(() -> {
            channel.close();
            channel.checkException();
        });

        assertMalformed(thrown, ErrorCode.BAD_FRAME, offset, message);
        assertThat(channel.outboundMessages()).isEmpty();
    }

    /** Runs {@code feed}; checks the exception, the closing ERROR frame sent back, and the close. */
    private void assertRejected(Executable feed, ErrorCode code, long offset, String message) {
        Throwable thrown = catchThrowable(feed::execute);

        assertMalformed(thrown, code, offset, message);
        assertThat(channel.isOpen()).isFalse();
        assertClosingError(code, message);
    }

    private static void assertMalformed(Throwable thrown, ErrorCode code, long offset, String message) {
        assertThat(thrown).isInstanceOf(MalformedFrameException.class).hasMessage(message);
        MalformedFrameException malformed = (MalformedFrameException) thrown;
        assertThat(malformed.code()).isEqualTo(code);
        assertThat(malformed.offset()).isEqualTo(offset);
    }

    /** The HELLOs exchanged: frames up to the full limit from now on. */
    private void afterTheHellos() {
        channel.pipeline().get(FrameDecoder.class).agreedVersion(Protocol.MIN_VERSION);
    }

    private void assertClosingError(ErrorCode code, String detail) {
        EmbeddedChannel peer = alloc.channel(new FrameDecoder(MAX_FRAME));
        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            peer.writeInbound(part);
        }
        Message error = peer.readInbound();
        assertThat(error).as("the closing ERROR frame").isNotNull();
        try {
            assertThat(error.type()).isEqualTo(MessageType.ERROR);
            assertThat(error.hasFlag(Message.FLAG_CLOSING)).isTrue();
            assertThat(error.error()).isEqualTo(code);
            assertThat(error.payload().toString(UTF_8)).isEqualTo(detail);
        } finally {
            error.release();
            peer.finishAndReleaseAll();
        }
    }
}
