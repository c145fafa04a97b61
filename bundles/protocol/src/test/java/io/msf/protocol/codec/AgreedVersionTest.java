package io.msf.protocol.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Hello;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The version a connection's HELLOs agreed on (docs/protocol.md section 7.2), with the codec of a
 * build that speaks versions 1 and 2: only frames of that version are read, every frame but a
 * HELLO is written in it, and until the agreement frames carry version 1.
 */
class AgreedVersionTest {

    private static final int MAX_FRAME = 4096;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final FrameDecoder decoder = new FrameDecoder(MAX_FRAME, 1, 2);
    private final FrameEncoder encoder = new FrameEncoder(MAX_FRAME, 1, 2);
    private final EmbeddedChannel channel = alloc.channel(encoder, decoder, MalformedFrameHandler.INSTANCE);

    @AfterEach
    void nothingLeaks() {
        channel.finishAndReleaseAll();
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void afterAgreeingOnVersion1AFrameOfVersion2IsRefusedThoughThisEndSpeaksIt() {
        decoder.agreedVersion(1);

        assertRefused(requestOfVersion(2), "protocol version 2, but the HELLOs agreed on version 1 at offset 2");
    }

    @Test
    void afterAgreeingOnVersion2AFrameOfVersion1IsRefused() {
        decoder.agreedVersion(2);

        assertRefused(requestOfVersion(1), "protocol version 1, but the HELLOs agreed on version 2 at offset 2");
    }

    @Test
    void afterAgreeingOnVersion2FramesOfVersion2AreRead() {
        decoder.agreedVersion(2);

        channel.writeInbound(requestOfVersion(2));

        Message request = channel.readInbound();
        assertThat(request.type()).isEqualTo(MessageType.REQUEST);
        assertThat(request.subject()).isEqualTo("upnp");
        request.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void beforeTheAgreementOnlyVersion1IsRead() {
        assertRefused(requestOfVersion(2),
                "protocol version 2 before the HELLOs agreed on one (until then frames carry version 1) at offset 2");
    }

    @Test
    void aVersionThisEndDoesNotSpeakCannotBeAgreed() {
        assertThatIllegalArgumentException().isThrownBy(() -> decoder.agreedVersion(3))
                .withMessage("protocol version 3 is not one this end speaks (1..2)");
        assertThatIllegalArgumentException().isThrownBy(() -> encoder.agreedVersion(0))
                .withMessage("protocol version 0 is not one this end speaks (1..2)");
    }

    @Test
    void theEncoderWritesVersion1UntilTheAgreementThenTheAgreedOneButHellosStayAtVersion1() {
        assertThat(versionWritten(Message.ping(1))).isEqualTo(1);

        encoder.agreedVersion(2);

        assertThat(versionWritten(Message.ping(2))).isEqualTo(2);
        assertThat(versionWritten(Message.closingError(ErrorCode.BAD_FRAME, Frames.text(alloc, "x")))).isEqualTo(2);
        assertThat(versionWritten(Message.hello(0, "", false, Hello.offer(MAX_FRAME, 0, null).write(alloc))))
                .isEqualTo(1);
    }

    /** The REQUEST of {@link Frames#request()} with its version byte set to {@code version}. */
    private ByteBuf requestOfVersion(int version) {
        return alloc.bytes(Frames.request()).setByte(Wire.VERSION_OFFSET, version);
    }

    private int versionWritten(Message message) {
        channel.writeAndFlush(message);
        ByteBuf frame = channel.readOutbound();
        try {
            return frame.getUnsignedByte(Wire.VERSION_OFFSET);
        } finally {
            frame.release();
        }
    }

    private void assertRefused(ByteBuf frame, String problem) {
        Throwable thrown = catchThrowable(() -> channel.writeInbound(frame));

        assertThat(thrown).isInstanceOf(MalformedFrameException.class).hasMessage(problem);
        assertThat(((MalformedFrameException) thrown).code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat((Object) channel.readInbound()).isNull();
        ByteBuf sent = channel.readOutbound();
        try {
            assertThat((int) sent.getUnsignedByte(Wire.TYPE_OFFSET)).isEqualTo(MessageType.ERROR.code());
            assertThat(sent.toString(Wire.HEADER_BYTES, sent.readableBytes() - Wire.HEADER_BYTES, UTF_8))
                    .isEqualTo(problem);
        } finally {
            sent.release();
        }
        assertThat(channel.isOpen()).isFalse();
    }
}
