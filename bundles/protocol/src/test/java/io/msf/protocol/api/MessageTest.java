package io.msf.protocol.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MessageTest {

    @Test
    void aReplyAndAnErrorAnswerTheirRequest() {
        Message request = Message.request("upnp", 16, 77, 5000, text("get volume")).withSource(5);

        Message reply = Message.reply(request, text("11"));
        Message error = Message.error(ErrorCode.NO_HANDLER, request, text("no handler for 16"));

        assertThat(reply.type()).isEqualTo(MessageType.REPLY);
        assertThat(reply.destination()).isEqualTo(5);
        assertThat(reply.command()).isEqualTo(16);
        assertThat(reply.sequence()).isEqualTo(77);
        assertThat(error.type()).isEqualTo(MessageType.ERROR);
        assertThat(error.error()).isEqualTo(ErrorCode.NO_HANDLER);
        assertThat(error.destination()).isEqualTo(5);
        assertThat(error.sequence()).isEqualTo(77);
        assertThat(error.hasFlag(Message.FLAG_CLOSING)).isFalse();
        assertThat(request.refCnt()).as("answering does not release the request").isEqualTo(1);
        releaseAll(request, reply, error);
    }

    @Test
    void aMessageRefusedForItsFieldsReleasesThePayloadItWasToTakeOver() {
        ByteBuf payload = text("lost otherwise");

        assertThatIllegalArgumentException().isThrownBy(() -> Message.publish("x".repeat(300), 1, 0, payload))
                .withMessageContaining("longer than");

        assertThat(payload.refCnt()).isZero();
    }

    /**
     * A subject with half a surrogate pair has no UTF-8 form: the encoder would write it as another
     * name or as bytes that are no UTF-8, which the receiver refuses, closing the connection. Refused
     * whatever factory made the message, as names and topics are.
     */
    @Test
    void aSubjectWithHalfASurrogatePairIsRefusedNamingItsIndex() {
        ByteBuf payload = text("lost otherwise");

        assertThatIllegalArgumentException().isThrownBy(() -> Message.request("dlna\uD800\u4e2d", 1, 0, 0, payload))
                .withMessage("subject 'dlna\uD800\u4e2d' has an unpaired surrogate at index 4: it has no UTF-8 form");
        assertThat(payload.refCnt()).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> Message.subscribe("a.\uDE00", 1))
                .withMessage("subject 'a.\uDE00' has an unpaired surrogate at index 2: it has no UTF-8 form");

        Message paired = Message.publish("a.\uD83D\uDE00", 1, 0, Unpooled.EMPTY_BUFFER);
        assertThat(paired.subject()).isEqualTo("a.\uD83D\uDE00");
    }

    @Test
    void aPongAnswersItsPing() {
        Message ping = Message.ping(9).withSource(3);

        Message pong = Message.pong(ping);

        assertThat(pong.type()).isEqualTo(MessageType.PONG);
        assertThat(pong.sequence()).isEqualTo(9);
        assertThat(pong.destination()).isEqualTo(3);
    }

    @Test
    void aClosingErrorCarriesItsFlag() {
        Message error = Message.closingError(ErrorCode.OVERLOADED, Unpooled.EMPTY_BUFFER);

        assertThat(error.hasFlag(Message.FLAG_CLOSING)).isTrue();
        assertThat(error.flags()).isEqualTo(Message.FLAG_CLOSING);
    }

    @Test
    void withSourceTakesOverThePayloadReference() {
        ByteBuf payload = text("x");
        Message original = Message.notification(7, 1, 2, payload);

        Message stamped = original.withSource(42);

        assertThat(stamped.source()).isEqualTo(42);
        assertThat(stamped.payload()).isSameAs(payload);
        assertThat(stamped.refCnt()).isEqualTo(1);
        stamped.release();
        assertThat(payload.refCnt()).isZero();
    }

    @Test
    void aRetainedDuplicateHasItsOwnIndicesAndReference() {
        Message original = Message.publish("a.b", 1, 0, text("hello"));

        Message duplicate = original.retainedDuplicate();
        duplicate.payload().skipBytes(5);

        assertThat(original.payload().readableBytes()).isEqualTo(5);
        assertThat(original.refCnt()).isEqualTo(2);
        assertThat(duplicate.subject()).isEqualTo("a.b");
        assertThat(duplicate.payload().readableBytes()).isZero();
        releaseAll(original, duplicate);
        assertThat(original.refCnt()).isZero();
    }

    @Test
    void breakingTheFieldRulesIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Message(MessageType.REQUEST, Message.FLAG_CLOSING, ErrorCode.OK, 0, 1, "",
                        0, 0, 0, Unpooled.EMPTY_BUFFER))
                .withMessage("flags 0x0002 are not allowed on REQUEST");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Message(MessageType.ERROR, 0, ErrorCode.OK, 0, 1, "", 0, 0, 0,
                        Unpooled.EMPTY_BUFFER))
                .withMessage("an ERROR message needs an error code other than OK");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Message(MessageType.REPLY, 0, ErrorCode.TIMEOUT, 0, 1, "", 0, 0, 0,
                        Unpooled.EMPTY_BUFFER))
                .withMessage("only ERROR messages carry an error code, not REPLY (TIMEOUT)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Message.request(1, 0, 0, -1, Unpooled.EMPTY_BUFFER))
                .withMessage("timeoutMillis -1 is negative");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Message.publish("ü".repeat(128), 0, 0, Unpooled.EMPTY_BUFFER))
                .withMessageEndingWith("is longer than 255 UTF-8 bytes");
    }

    @Test
    void toStringShowsTheHeaderButNeverThePayload() {
        Message hello = Message.hello(0x8000_0001, "upnp", false, text("s3cret"));

        assertThat(hello.toString()).isEqualTo("HELLO[2147483649->0 'upnp' command=0 sequence=0 payload=6B]");
        hello.release();
        assertThat(hello.toString()).endsWith("payload=released]");
    }

    /** Command (u32) and sequence (u64) are unsigned on the wire: the top bit set is no minus sign. */
    @Test
    void toStringShowsCommandAndSequenceUnsigned() {
        Message request = Message.request(7, (int) 3_000_000_000L, -1L, 0, Unpooled.EMPTY_BUFFER);

        assertThat(request.toString()).contains(" command=3000000000 sequence=18446744073709551615 ");
    }

    @Test
    void equalMessagesHaveEqualHeadersAndPayloadBytes() {
        Message a = Message.request("upnp", 1, 2, 3, text("x"));
        Message b = Message.request("upnp", 1, 2, 3, text("x"));
        Message c = Message.request("upnp", 1, 2, 4, text("x"));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        releaseAll(a, b, c);
    }

    @Test
    void codesAreUniqueAndFoundAgain() {
        for (MessageType type : MessageType.values()) {
            assertThat(MessageType.fromCode(type.code())).isSameAs(type);
        }
        for (ErrorCode error : ErrorCode.values()) {
            assertThat(ErrorCode.fromCode(error.code())).isSameAs(error);
        }
        assertThat(MessageType.fromCode(0)).isNull();
        assertThat(MessageType.fromCode(-1)).isNull();
        assertThat(ErrorCode.fromCode(ErrorCode.values().length)).isNull();
        assertThat(Arrays.stream(MessageType.values()).mapToInt(MessageType::code).distinct().count())
                .isEqualTo(MessageType.values().length);
    }

    private static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, UTF_8);
    }

    private static void releaseAll(Message... messages) {
        for (Message message : messages) {
            message.release();
        }
    }
}
