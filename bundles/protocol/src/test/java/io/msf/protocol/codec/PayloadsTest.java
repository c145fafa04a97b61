package io.msf.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.WrappedByteBuf;
import org.junit.jupiter.api.Test;

/** Which payloads keep a much larger buffer alive, and their copies. */
class PayloadsTest {

    private final ByteBuf read = Unpooled.buffer(64 * 1024).writeZero(64 * 1024);

    @Test
    void aSliceOfAQuarterOfItsBufferOrLessKeepsMoreAlive() {
        assertThat(Payloads.keepsMoreAlive(read.slice(0, 2100))).isTrue();
        assertThat(Payloads.keepsMoreAlive(read.slice(0, 16 * 1024 - 1))).isTrue();
        assertThat(Payloads.keepsMoreAlive(read.duplicate().setIndex(10, 110))).as("a duplicate's readable part")
                .isTrue();
        assertThat(Payloads.keepsMoreAlive(read.slice(0, 2100).slice(0, 2000))).as("a slice of a slice").isTrue();
        assertThat(Payloads.keepsMoreAlive(new WrappedByteBuf(read.slice(0, 2100)) { }))
                .as("a wrapper of a slice, as the memory pool's accounted views are").isTrue();
    }

    @Test
    void aPayloadThatFillsMostOfItsBufferOrIsEmptyDoesNot() {
        assertThat(Payloads.keepsMoreAlive(read.slice(0, 16 * 1024))).isFalse();
        assertThat(Payloads.keepsMoreAlive(read.slice(1000, 60 * 1024))).isFalse();
        assertThat(Payloads.keepsMoreAlive(Unpooled.buffer(8192).writeZero(2100))).as("a buffer of its own")
                .isFalse();
        assertThat(Payloads.keepsMoreAlive(read.slice(0, 0))).isFalse();
    }

    @Test
    void aCopyHoldsTheReadableBytesAndLeavesThePayloadAsItWas() {
        read.setByte(101, 'x');
        ByteBuf payload = read.slice(100, 3);
        ByteBuf copy = Payloads.copyOf(payload, Unpooled.buffer(0).alloc());
        try {
            assertThat(copy.capacity()).isEqualTo(3);
            assertThat(copy.getByte(1)).isEqualTo((byte) 'x');
            assertThat(payload.readerIndex()).isZero();
            assertThat(payload.readableBytes()).isEqualTo(3);
        } finally {
            copy.release();
        }
    }
}
