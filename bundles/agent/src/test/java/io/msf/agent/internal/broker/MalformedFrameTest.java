package io.msf.agent.internal.broker;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.AdditionalMatchers.and;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.verify;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every class of malformed frame closes its own connection with the right ERROR, and the broker
 * keeps serving the other peers (docs/protocol.md section 3).
 */
class MalformedFrameTest {

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();
    private TestPeer server;
    private TestPeer client;

    @BeforeEach
    void start() throws Exception {
        server = agent.peer(42, "server");
        client = agent.peer(5, "client");
    }

    /** A 44-byte header as the test writes it, every field settable. */
    private static ByteBuf header(int magic, int version, int type, int frameLength, int subjectLength,
            int payloadLength) {
        return Unpooled.buffer(44).writeShort(magic).writeByte(version).writeByte(type).writeInt(frameLength)
                .writeShort(0).writeShort(0).writeShort(subjectLength).writeShort(0).writeInt(0).writeInt(0)
                .writeInt(0).writeInt(0).writeLong(1).writeInt(payloadLength);
    }

    private void assertRefusedAndOthersServed(boolean registered, Consumer<TestPeer> sendBadBytes, ErrorCode code,
            String reason) throws Exception {
        TestPeer bad = agent.connect();
        if (registered) {
            bad.register(0, "");
        }
        sendBadBytes.accept(bad);

        Frame error = bad.next();
        if (error.type() == MessageType.PONG) {
            // The good frame before the garbage was a PING.
            error = bad.next();
        }
        assertThat(error.type()).isEqualTo(MessageType.ERROR);
        assertThat(error.error()).isEqualTo(code);
        assertThat(error.closing()).isTrue();
        assertThat(error.text()).contains(reason);
        assertThat(bad.awaitClosed()).isTrue();
        await().until(() -> agent.broker.totals().malformed() == 1);
        assertServing();
    }

    private void assertServing() {
        long sequence = client.request("server", 1, "still there?", 5000);
        Frame request = server.next();
        server.reply(request, "yes");
        Frame reply = client.next();
        assertThat(reply.sequence()).isEqualTo(sequence);
        assertThat(reply.text()).isEqualTo("yes");
    }

    @Test
    void badMagic() throws Exception {
        assertRefusedAndOthersServed(false, peer -> peer.sendRaw(Unpooled.copiedBuffer(
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII))),
                ErrorCode.BAD_FRAME, "bad magic 0x4745");
    }

    @Test
    void wrongVersionBeforeTheHello() throws Exception {
        assertRefusedAndOthersServed(false, peer -> peer.sendRaw(header(0x4D53, 2, 8, 44, 0, 0)),
                ErrorCode.UNSUPPORTED_VERSION, "unsupported protocol version 2 (this end speaks 1..1) at offset 2");
    }

    /**
     * After the HELLO only the version it agreed on is read (docs/protocol.md 7.2): the peer is told
     * both versions, and the log names the peer.
     */
    @Test
    void aVersionOtherThanTheOneTheHelloAgreedOn() throws Exception {
        assertRefusedAndOthersServed(true, peer -> peer.sendRaw(header(0x4D53, 2, 8, 44, 0, 0)),
                ErrorCode.UNSUPPORTED_VERSION, "protocol version 2, but the HELLOs agreed on version 1 at offset ");

        verify(agent.log).warn(contains("the next ones are counted"), eq("agent, malformed frames from tcp 127.0.0.1"),
                and(startsWith("closed agent peer #2147483648 from tcp 127.0.0.1:"),
                        contains(": UNSUPPORTED_VERSION protocol version 2, but the HELLOs agreed on version 1")));
    }

    @Test
    void frameLengthOverTheMaximum() throws Exception {
        assertRefusedAndOthersServed(true, peer -> peer.sendRaw(header(0x4D53, 1, 2, Integer.MAX_VALUE, 0, 0)),
                ErrorCode.TOO_LARGE, "frame length 2147483647 is over the maximum");
    }

    /**
     * Before its HELLO a connection may send no frame over the smallest limit, 1,024 bytes, whatever the
     * agent's own (1 MiB here): one that has not said who it is, nor given a token, made the agent hold up to
     * that limit per connection until the HELLO timeout.
     */
    @Test
    void aFrameOverTheSmallestLimitBeforeTheHello() throws Exception {
        assertRefusedAndOthersServed(false, peer -> peer.sendRaw(header(0x4D53, 1, 2, 1 << 20, 0, (1 << 20) - 44)),
                ErrorCode.TOO_LARGE, "frame length 1048576 is over the maximum of 1024 bytes before the HELLOs");
    }

    @Test
    void negativePayloadLength() throws Exception {
        assertRefusedAndOthersServed(true, peer -> peer.sendRaw(header(0x4D53, 1, 2, 44, 0, -10)),
                ErrorCode.BAD_FRAME, "negative payload length -10");
    }

    @Test
    void lyingLengths() throws Exception {
        assertRefusedAndOthersServed(true, peer -> peer.sendRaw(header(0x4D53, 1, 2, 58, 5, 10)),
                ErrorCode.BAD_FRAME, "lengths disagree");
    }

    @Test
    void unknownType() throws Exception {
        assertRefusedAndOthersServed(true, peer -> peer.sendRaw(header(0x4D53, 1, 0x7f, 44, 0, 0)),
                ErrorCode.BAD_FRAME, "unknown message type 0x7f");
    }

    @Test
    void garbageAfterAGoodFrame() throws Exception {
        assertRefusedAndOthersServed(true, peer -> peer.sendRaw(Unpooled.wrappedBuffer(header(0x4D53, 1, 8, 44, 0, 0),
                Unpooled.wrappedBuffer(new byte[44]))), ErrorCode.BAD_FRAME, "garbage after frame");
    }

    @Test
    void truncatedFrame() throws Exception {
        TestPeer bad = agent.connect().register(0, "");
        bad.sendRaw(header(0x4D53, 1, 2, 100, 0, 56).writeBytes(new byte[10]));
        bad.close();

        await().until(() -> agent.broker.totals().malformed() == 1);
        assertServing();
    }
}
