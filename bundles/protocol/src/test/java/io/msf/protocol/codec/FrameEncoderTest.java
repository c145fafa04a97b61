package io.msf.protocol.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.msf.protocol.api.Message;
import io.msf.protocol.api.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameEncoderTest {

    /** The worked example of docs/protocol.md, byte for byte. */
    private static final String DOC_EXAMPLE = String.join("",
            "4d53", "01", "02", "0000003a",
            "0000", "0000", "0004", "0000",
            "00000005", "00000000", "00000010", "00001388",
            "0000000000000001", "0000000a",
            "75706e70",
            "67657420766f6c756d65");

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final EmbeddedChannel channel = alloc.channel(new FrameEncoder(Protocol.SMALLEST_FRAME_LIMIT));

    @AfterEach
    void nothingLeaks() {
        channel.finishAndReleaseAll();
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void theDocumentedExampleIsWhatTheEncoderWrites() {
        assertThat(HexFormat.of().formatHex(Frames.request())).isEqualTo(DOC_EXAMPLE);
    }

    @Test
    void aSmallPayloadIsCopiedBehindTheHeaderIntoOneBuffer() {
        encoder().peerMaxFrameBytes(Protocol.DEFAULT_MAX_FRAME_BYTES);
        ByteBuf payload = alloc.heapBuffer().writeZero(FrameEncoder.INLINE_PAYLOAD_BYTES);

        channel.writeOutbound(Message.notification(1, 2, 3, payload));

        ByteBuf frame = channel.readOutbound();
        assertThat(frame.readableBytes()).isEqualTo(Wire.HEADER_BYTES + FrameEncoder.INLINE_PAYLOAD_BYTES);
        frame.release();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void aLargerPayloadFollowsItsHeaderWithoutACopy() {
        encoder().peerMaxFrameBytes(Protocol.DEFAULT_MAX_FRAME_BYTES);
        ByteBuf payload = alloc.heapBuffer().writeZero(FrameEncoder.INLINE_PAYLOAD_BYTES + 1);

        channel.writeOutbound(Message.notification(1, 2, 3, payload));

        CompositeByteBuf frame = channel.readOutbound();
        assertThat(frame.numComponents()).isEqualTo(2);
        assertThat(frame.component(0).readableBytes()).isEqualTo(Wire.HEADER_BYTES);
        assertThat(frame.component(1).array()).isSameAs(payload.array());
        assertThat(frame.readableBytes()).isEqualTo(Wire.HEADER_BYTES + FrameEncoder.INLINE_PAYLOAD_BYTES + 1);
        frame.release();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void encodingLeavesAPayloadSharedWithAnotherMessageUntouched() {
        ByteBuf payload = alloc.heapBuffer().writeZero(600);
        Message kept = Message.notification(1, 2, 3, payload);

        channel.writeOutbound(kept.retainedDuplicate());
        channel.writeOutbound(kept.retainedDuplicate());

        assertThat(payload.readerIndex()).isZero();
        assertThat(payload.readableBytes()).isEqualTo(600);
        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            part.release();
        }
        kept.release();
    }

    @Test
    void aFrameOverThePeersLimitIsRefusedAndReleased() {
        ByteBuf payload = alloc.heapBuffer().writeZero(Protocol.SMALLEST_FRAME_LIMIT);

        Throwable thrown = catchThrowable(() -> channel.writeOutbound(Message.publish("a.b", 0, 0, payload)));

        assertThat(thrown).isInstanceOf(EncoderException.class).cause().isInstanceOf(TooLongFrameException.class)
                .hasMessage("PUBLISH frame of 1071 bytes is over the peer's limit of 1024 bytes");
        assertThat(payload.refCnt()).isZero();
        assertThat(channel.isOpen()).isTrue();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void aLargePayloadIsReleasedWhenNoBatchCanBeHad() {
        encoder().peerMaxFrameBytes(Protocol.DEFAULT_MAX_FRAME_BYTES);
        ByteBuf payload = alloc.heapBuffer().writeZero(FrameEncoder.INLINE_PAYLOAD_BYTES + 1);
        IllegalStateException overLimit = new IllegalStateException("over the bundle's memory limit");
        alloc.refuseBuffers(overLimit);

        Throwable thrown = catchThrowable(() -> channel.writeOutbound(Message.publish("a.b", 0, 0, payload)));

        assertThat(thrown).isSameAs(overLimit);
        assertThat(payload.refCnt()).isZero();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void aBatchAndItsLargePayloadAreReleasedWhenTheyCannotBeJoined() {
        encoder().peerMaxFrameBytes(Protocol.DEFAULT_MAX_FRAME_BYTES);
        ByteBuf payload = alloc.heapBuffer().writeZero(FrameEncoder.INLINE_PAYLOAD_BYTES + 1);
        IllegalStateException overLimit = new IllegalStateException("over the bundle's memory limit");
        alloc.refuseComposites(overLimit);

        Throwable thrown = catchThrowable(() -> channel.writeOutbound(Message.publish("a.b", 0, 0, payload)));

        assertThat(thrown).isSameAs(overLimit);
        assertThat(payload.refCnt()).isZero();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void aBatchAndItsLargePayloadAreReleasedWhenAddingThemFails() {
        encoder().peerMaxFrameBytes(Protocol.DEFAULT_MAX_FRAME_BYTES);
        ByteBuf payload = alloc.heapBuffer().writeZero(FrameEncoder.INLINE_PAYLOAD_BYTES + 1);
        IllegalStateException refused = new IllegalStateException("the composite refused a component");
        alloc.failAddingToComposites(refused);

        Throwable thrown = catchThrowable(() -> channel.writeOutbound(Message.publish("a.b", 0, 0, payload)));

        assertThat(thrown).isSameAs(refused);
        assertThat(payload.refCnt()).isZero();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void theLimitRisesOnceThePeerHasAnnouncedItsOwn() {
        FrameEncoder encoder = encoder();
        encoder.peerMaxFrameBytes(4096);

        ByteBuf payload = alloc.heapBuffer().writeZero(Protocol.SMALLEST_FRAME_LIMIT);
        channel.writeOutbound(Message.publish("a.b", 0, 0, payload));

        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            part.release();
        }
        assertThatIllegalArgumentException().isThrownBy(() -> encoder.peerMaxFrameBytes(100))
                .withMessage("peer frame limit 100 is below the smallest limit 1024");
    }

    @Test
    void theSubjectLengthCountsUtf8BytesNotCharacters() {
        channel.writeOutbound(Message.publish("grün", 0, 0, alloc.heapBuffer(0)));

        ByteBuf frame = channel.readOutbound();
        assertThat(frame.getUnsignedShort(Wire.SUBJECT_LENGTH_OFFSET)).isEqualTo(5);
        assertThat(ByteBufUtil.getBytes(frame, Wire.HEADER_BYTES, 5)).isEqualTo("grün".getBytes(UTF_8));
        frame.release();
    }

    private FrameEncoder encoder() {
        return channel.pipeline().get(FrameEncoder.class);
    }
}
