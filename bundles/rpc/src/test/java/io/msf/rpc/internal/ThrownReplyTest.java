package io.msf.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.rpc.internal.a_package_whose_name_goes_on_and_on_0_and_on_and_on.a_package_whose_name_goes_on_and_on_1_and_on_and_on.a_package_whose_name_goes_on_and_on_2_and_on_and_on.a_package_whose_name_goes_on_and_on_3_and_on_and_on.a_package_whose_name_goes_on_and_on_4_and_on_and_on.LongNamedException;
import io.msf.protocol.api.Message;
import io.msf.rpc.api.Rpc;
import io.msf.rpc.api.RpcHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A reply saying what was thrown fits the smallest frame a peer may accept (1,024 bytes, header and
 * subject included), whatever its class name and message: before, the message was cut at 8,192
 * characters (up to 24 KiB of UTF-8) and the class name not at all, and a caller with a small frame
 * limit got TOO_LARGE instead of what was thrown.
 */
class ThrownReplyTest {

    /** A frame's header and the longest subject. */
    private static final int FRAME_OVERHEAD = 44 + 255;

    private final RpcInterface rpc = RpcInterface.checked(Thrower.class);
    private final RpcMethod operation = rpc.method(Thrower.class.getMethods()[0]);

    /** An interface to have a codec of. */
    public interface Thrower {
        CompletionStage<String> value();
    }

    @Test
    void theLongestClassNameAndMessageFitTheSmallestFrame() throws Exception {
        String message = "\u20AC".repeat(100_000); // 3 bytes each in UTF-8
        byte[] reply = write(new LongNamedException(message));

        assertThat(reply.length).isLessThanOrEqualTo(RpcCodec.MAX_THROWN_BYTES);
        assertThat(FRAME_OVERHEAD + RpcCodec.MAX_THROWN_BYTES).isLessThanOrEqualTo(1024);
        RpcCodec.Reply read = rpc.codec().readReply(operation, new ByteArrayInputStream(reply));
        assertThat(LongNamedException.class.getName().getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThan(RpcCodec.MAX_TYPE_BYTES);
        assertThat(read.remoteType()).startsWith("io.msf.rpc.internal.a_package_whose_name_goes_on")
                .endsWith(" more characters)");
        assertThat(read.remoteType().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(RpcCodec.MAX_TYPE_BYTES);
        assertThat(read.remoteMessage()).startsWith("\u20AC\u20AC").endsWith(" more characters)");
        assertThat(read.remoteMessage().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(RpcCodec.MAX_MESSAGE_BYTES);
    }

    /** What is kept and the count of what is not add up to the whole message. */
    @Test
    void aCutSaysHowManyCharactersItLeftOut() {
        String cut = RpcCodec.cut("x".repeat(2_000_000), RpcCodec.MAX_MESSAGE_BYTES);

        int kept = cut.indexOf("...");
        assertThat(cut.substring(0, kept)).matches("x+");
        assertThat(cut.substring(kept)).isEqualTo("... (" + (2_000_000 - kept) + " more characters)");
        assertThat(cut).hasSizeLessThanOrEqualTo(RpcCodec.MAX_MESSAGE_BYTES);
    }

    @Test
    void aShortClassNameAndMessageTravelWhole() throws Exception {
        RpcCodec.Reply read = rpc.codec().readReply(operation,
                new ByteArrayInputStream(write(new IllegalStateException("no track 9"))));

        assertThat(read.remoteType()).isEqualTo(IllegalStateException.class.getName());
        assertThat(read.remoteMessage()).isEqualTo("no track 9");
    }

    /** A character outside the BMP (4 bytes, two chars in Java) is kept out whole, never split. */
    @Test
    void aCutNeverSplitsACharacter() {
        String message = "x".repeat(370) + "\uD83D\uDE00".repeat(20);

        String cut = RpcCodec.cut(message, RpcCodec.MAX_MESSAGE_BYTES);

        assertThat(cut).doesNotContain("\uFFFD");
        assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(RpcCodec.MAX_MESSAGE_BYTES);
        assertThat(cut.codePoints().filter(Character::isSupplementaryCodePoint).count()).isPositive();
    }

    /**
     * Before, the reply could not be written: the IllegalStateException of getMessage() escaped the
     * handler (a synchronous call) or failed the reply (an asynchronous one), naming neither the method
     * nor what was thrown, and the reply's buffer was never released. On an executor, and for an
     * asynchronous method, the CompletionException the JDK wraps a stage's failure in read the message
     * too, failing the call that completed it even once the reply was made.
     */
    @Test
    void whatWasThrownTravelsWhenItsMessageCannotBeHad() throws Exception {
        RpcInterface lazily = RpcInterface.checked(Lazily.class);
        Lazily implementation = new Lazily() {
            @Override
            public int now() {
                throw new NoMessage();
            }

            @Override
            public CompletionStage<Integer> later() {
                return CompletableFuture.failedFuture(new NoMessage());
            }
        };
        RpcHandler inPlace = Rpc.handler(Lazily.class, implementation);
        RpcHandler onExecutor = Rpc.handler(Lazily.class, implementation, Rpc.DEFAULT_MAX_CALL_TIME, Runnable::run);

        for (RpcHandler handler : List.of(inPlace, onExecutor)) {
            for (String name : List.of("now", "later")) {
                RpcMethod method = lazily.method(Lazily.class.getMethod(name));
                Message request = Message.request("test.lazily", method.command(), 1, 10_000,
                        Unpooled.wrappedBuffer(new byte[] {(byte) 0x80}));
                ByteBuf reply = handler.handle(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
                try {
                    RpcCodec.Reply read = lazily.codec().readReply(method, new ByteBufInputStream(reply.duplicate()));
                    assertThat(read.remoteType()).as(name).isEqualTo(NoMessage.class.getName());
                    assertThat(read.remoteMessage()).as(name)
                            .isEqualTo("(its getMessage() threw " + IllegalStateException.class.getName() + ")");
                } finally {
                    reply.release();
                }
            }
        }
    }

    /** Methods that throw what has no message to give. */
    public interface Lazily {
        int now();

        CompletionStage<Integer> later();
    }

    /** Its message is built from state that is not there. */
    static final class NoMessage extends RuntimeException {

        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new IllegalStateException("no message state");
        }
    }

    private byte[] write(Throwable thrown) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rpc.codec().writeThrown(thrown, out);
        return out.toByteArray();
    }
}
