package io.msf.protocol.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class HelloTest {

    @Test
    void aBodySurvivesWriteAndRead() {
        Hello offer = new Hello(1, 3, 1 << 20, 2000, "s3cret".getBytes(UTF_8));

        ByteBuf body = offer.write(UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(ByteBufUtil.hexDump(body)).isEqualTo("0103000600100000000007d0" + "733363726574");
            assertThat(Hello.read(body)).isEqualTo(offer);
            assertThat(body.readerIndex()).isZero();
        } finally {
            body.release();
        }
    }

    @Test
    void theTokenNeverShowsAndCannotBeChangedFromOutside() {
        byte[] secret = "s3cret".getBytes(UTF_8);
        Hello hello = Hello.offer(1 << 20, 0, secret);
        secret[0] = 'X';
        hello.token()[1] = 'X';

        assertThat(hello.token()).isEqualTo("s3cret".getBytes(UTF_8));
        assertThat(hello.toString()).doesNotContain("s3cret").contains("token=present");
        assertThat(Hello.offer(1 << 20, 0, null).toString()).contains("token=none");
    }

    @Test
    void malformedBodiesAreRefusedNamingTheField() {
        assertThatIllegalArgumentException().isThrownBy(() -> Hello.read(Unpooled.wrappedBuffer(new byte[11])))
                .withMessage("body of 11 bytes is shorter than its fixed 12 bytes");
        ByteBuf tooLong = Unpooled.buffer().writeBytes(new byte[] {1, 1, 1, 0}).writeInt(1024).writeInt(0);
        assertThatIllegalArgumentException().isThrownBy(() -> Hello.read(tooLong))
                .withMessage("token length 256 at body offset 2 is over the bound of 255");
        ByteBuf lying = Unpooled.buffer().writeBytes(new byte[] {1, 1, 0, 4}).writeInt(1024).writeInt(0).writeByte(7);
        assertThatIllegalArgumentException().isThrownBy(() -> Hello.read(lying))
                .withMessage("token length 4 at body offset 2 disagrees with the 13-byte body (expected 1)");
        ByteBuf backwards = Unpooled.buffer().writeBytes(new byte[] {3, 1, 0, 0}).writeInt(1024).writeInt(0);
        assertThatIllegalArgumentException().isThrownBy(() -> Hello.read(backwards))
                .withMessage("versions 3..1 are not a range within 1..255");
    }

    @Test
    void valuesOutOfRangeAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Hello(0, 1, 1 << 20, 0, null))
                .withMessage("versions 0..1 are not a range within 1..255");
        assertThatIllegalArgumentException().isThrownBy(() -> new Hello(1, 1, 1023, 0, null))
                .withMessage("maxFrameBytes 1023 is below the smallest limit 1024");
        assertThatIllegalArgumentException().isThrownBy(() -> new Hello(1, 1, 1 << 20, -1, null))
                .withMessage("heartbeatMillis -1 is negative");
        assertThatIllegalArgumentException().isThrownBy(() -> new Hello(1, 1, 1 << 20, 0, new byte[256]))
                .withMessage("token of 256 bytes is longer than 255");
    }

    @Test
    void theHighestCommonVersionIsChosen() {
        Hello offer = new Hello(2, 4, 1 << 20, 0, null);

        assertThat(offer.highestCommonVersion(1, 3)).isEqualTo(3);
        assertThat(offer.highestCommonVersion(3, 9)).isEqualTo(4);
        assertThat(offer.highestCommonVersion(4, 4)).isEqualTo(4);
        assertThat(offer.highestCommonVersion(1, 1)).isZero();
        assertThat(offer.highestCommonVersion(5, 6)).isZero();
    }
}
