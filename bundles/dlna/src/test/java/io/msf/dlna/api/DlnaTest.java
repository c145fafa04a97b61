package io.msf.dlna.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The bound of a state, as dlna's SET and upnp's readings of dlna's states apply it. */
class DlnaTest {

    @Test
    void aStateIsOneTo256BytesOfUtf8() {
        assertThat(Dlna.isState(text("p"))).isTrue();
        assertThat(Dlna.isState(text("\u00e9".repeat(Dlna.MAX_STATE_BYTES / 2)))).as("two bytes each").isTrue();
        assertThat(Dlna.isState(Unpooled.EMPTY_BUFFER)).isFalse();
        assertThat(Dlna.isState(text("x".repeat(Dlna.MAX_STATE_BYTES + 1)))).isFalse();
        assertThat(Dlna.isState(Unpooled.wrappedBuffer(new byte[] {(byte) 0xC3}))).as("cut inside a character").isFalse();
    }

    @Test
    void onlyTheReadableBytesCountAndTheyAreLeftUnread() {
        ByteBuf payload = Unpooled.buffer().writeBytes(new byte[] {(byte) 0xFF}).writeBytes("paused".getBytes(UTF_8));
        payload.readByte();

        assertThat(Dlna.isState(payload)).isTrue();
        assertThat(payload.readerIndex()).isEqualTo(1);
    }

    private static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, UTF_8);
    }
}
