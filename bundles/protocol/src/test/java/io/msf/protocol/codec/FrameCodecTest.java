package io.msf.protocol.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Messages through the encoder, then the decoder: what comes out is what went in. */
class FrameCodecTest {

    private static final int MAX_FRAME = 1 << 16;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final EmbeddedChannel channel =
            alloc.channel(afterTheHellos(new FrameDecoder(MAX_FRAME)), new FrameEncoder(MAX_FRAME),
                    MalformedFrameHandler.INSTANCE);

    /** Frames up to the full limit: the HELLOs are exchanged. */
    static FrameDecoder afterTheHellos(FrameDecoder decoder) {
        decoder.agreedVersion(Protocol.MIN_VERSION);
        return decoder;
    }

    @AfterEach
    void nothingLeaks() {
        channel.finishAndReleaseAll();
        assertThat(alloc.unreleased()).isEmpty();
    }

    /** A HELLO is the one type read only before the HELLOs agree: {@link #aHelloSurvivesARoundTripAsTheFirstFrame}. */
    @ParameterizedTest
    @EnumSource(value = MessageType.class, mode = EnumSource.Mode.EXCLUDE, names = "HELLO")
    void everyTypeSurvivesARoundTrip(MessageType type) {
        assertRoundTrip(Frames.sample(type, alloc));
    }

    @Test
    void aHelloSurvivesARoundTripAsTheFirstFrame() {
        EmbeddedChannel first = alloc.channel(new FrameDecoder(MAX_FRAME), new FrameEncoder(MAX_FRAME),
                MalformedFrameHandler.INSTANCE);
        try {
            assertRoundTrip(first, Frames.sample(MessageType.HELLO, alloc));
        } finally {
            first.finishAndReleaseAll();
        }
    }

    @Test
    void fieldsAtTheEdgesOfTheirRangesSurvive() {
        // Unsigned ids and sequence all ones, the largest timeout, a 4-byte UTF-8 character in the subject.
        assertRoundTrip(new Message(MessageType.REQUEST, 0, ErrorCode.OK, 0xFFFF_FFFF, 0x8000_0000, "gerät.😀",
                Integer.MIN_VALUE, -1L, Integer.MAX_VALUE, Frames.text(alloc, "x")));
    }

    @Test
    void aSubjectOfTheLongestLengthInMultiByteCharactersSurvives() {
        assertRoundTrip(Message.publish("ü".repeat(127) + "x", 0, 0, Unpooled.EMPTY_BUFFER));
    }

    @Test
    void aPayloadLargerThanTheInlineLimitSurvives() {
        ByteBuf payload = alloc.heapBuffer(5000);
        for (int i = 0; i < 5000; i++) {
            payload.writeByte(i);
        }
        assertRoundTrip(Message.notification(9, 1, 2, payload));
    }

    @Test
    void aFrameSplitIntoSingleBytesIsDecodedOnceComplete() {
        byte[] frame = Frames.request();

        for (int i = 0; i < frame.length - 1; i++) {
            channel.writeInbound(alloc.bytes(new byte[] {frame[i]}));
        }
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(alloc.bytes(new byte[] {frame[frame.length - 1]}));

        Message received = channel.readInbound();
        try {
            assertThat(received.subject()).isEqualTo("upnp");
            assertThat(received.payload().toString(UTF_8)).isEqualTo("get volume");
        } finally {
            received.release();
        }
    }

    @Test
    void severalFramesInOneReadComeOutInOrder() {
        ByteBuf input = alloc.heapBuffer();
        for (long sequence = 1; sequence <= 3; sequence++) {
            input.writeBytes(Frames.encode(Message.ping(sequence)));
        }

        channel.writeInbound(input);

        for (long sequence = 1; sequence <= 3; sequence++) {
            Message ping = channel.readInbound();
            assertThat(ping.type()).isEqualTo(MessageType.PING);
            assertThat(ping.sequence()).isEqualTo(sequence);
        }
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void aStampedSourceReplacesTheOneThePeerWroteFromTheNextFrameOn() {
        FrameDecoder decoder = channel.pipeline().get(FrameDecoder.class);
        Message spoofed = new Message(MessageType.NOTIFY, 0, ErrorCode.OK, 666, 9, "", 1, 1, 0,
                Unpooled.EMPTY_BUFFER);

        channel.writeInbound(alloc.bytes(Frames.encode(spoofed)));
        Message before = channel.readInbound();
        decoder.stampSource(42);
        channel.writeInbound(alloc.bytes(Frames.encode(spoofed)));
        Message after = channel.readInbound();
        decoder.stampSource(0);
        channel.writeInbound(alloc.bytes(Frames.encode(spoofed)));
        Message unstamped = channel.readInbound();

        assertThat(before.source()).isEqualTo(666);
        assertThat(after.source()).isEqualTo(42);
        assertThat(after).isEqualTo(spoofed.withSource(42));
        assertThat(unstamped.source()).isEqualTo(666);
    }

    @Test
    void aRepeatedSubjectComesOutAsTheSameStringAndAnotherOfItsLengthIsDecodedAnew() {
        for (String topic : new String[] {"a.b", "a.b", "a.c", "ü.b"}) {
            channel.writeInbound(alloc.bytes(Frames.encode(Message.publish(topic, 0, 1, Unpooled.EMPTY_BUFFER))));
        }
        Message first = channel.readInbound();
        Message repeated = channel.readInbound();
        Message other = channel.readInbound();
        Message multiByte = channel.readInbound();

        assertThat(repeated.subject()).isSameAs(first.subject());
        assertThat(other.subject()).isEqualTo("a.c");
        assertThat(multiByte.subject()).isEqualTo("ü.b");
    }

    @Test
    void aDecodedPayloadSharesTheReadBufferInsteadOfCopyingIt() {
        ByteBuf input = alloc.bytes(Frames.request());
        byte[] readMemory = input.array();

        channel.writeInbound(input);

        Message received = channel.readInbound();
        try {
            assertThat(received.payload().array()).isSameAs(readMemory);
        } finally {
            received.release();
        }
    }

    @Test
    void aMessageWithoutPayloadHoldsNoReadBuffer() {
        channel.writeInbound(alloc.bytes(Frames.encode(Message.subscribe("a.>", 1))));

        Message received = channel.readInbound();
        assertThat(received.payload().readableBytes()).isZero();
        assertThat(alloc.unreleased()).isEmpty();
        received.release();
    }

    /** Sends {@code sent} through the encoder, feeds the bytes to the decoder, compares. */
    private void assertRoundTrip(Message sent) {
        assertRoundTrip(channel, sent);
    }

    private static void assertRoundTrip(EmbeddedChannel channel, Message sent) {
        Message expected = sent.copy();
        try {
            channel.writeOutbound(sent);
            for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
                channel.writeInbound(part);
            }
            Message received = channel.readInbound();
            try {
                assertThat(received).isEqualTo(expected);
                assertThat((Object) channel.readInbound()).isNull();
            } finally {
                received.release();
            }
        } finally {
            expected.release();
        }
    }
}
