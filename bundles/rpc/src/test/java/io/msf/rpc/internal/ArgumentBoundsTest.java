package io.msf.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.rpc.api.Rpc;
import io.msf.rpc.api.RpcHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A request's arguments within a frame's size can still decode to far more memory than it, or to a
 * number no arithmetic finishes with: past the bounds they are refused before they are decoded, with
 * REMOTE_ERROR as any other arguments that do not decode, naming the bound.
 */
class ArgumentBoundsTest {

    /** CBOR: an indefinite-length array, an empty map, the end of an indefinite one. */
    private static final int INDEFINITE_ARRAY = 0x9f;
    private static final int EMPTY_MAP = 0xa0;
    private static final int BREAK = 0xff;

    private final AtomicReference<Object> received = new AtomicReference<>();
    private final RpcHandler handler = Rpc.handler(Sink.class, new Sink() {
        @Override
        public int anything(Object value) {
            received.set(value);
            return 1;
        }

        @Override
        public int numbers(List<Integer> values) {
            received.set(values);
            return values.size();
        }

        @Override
        public int decimal(BigDecimal value) {
            received.set(value);
            return 1;
        }

        @Override
        public int integer(BigInteger value) {
            received.set(value);
            return 1;
        }

        @Override
        public int integers(List<BigInteger> values) {
            received.set(values);
            return values.size();
        }

        @Override
        public int decimals(List<BigDecimal> values) {
            received.set(values);
            return values.size();
        }

        @Override
        public int texts(List<String> values) {
            received.set(values);
            return values.size();
        }
    });

    /** Parameters Jackson reads as whatever the payload holds, and as declared. */
    public interface Sink {
        int anything(Object value);

        int numbers(List<Integer> values);

        int decimal(BigDecimal value);

        int integer(BigInteger value);

        int integers(List<BigInteger> values);

        int decimals(List<BigDecimal> values);

        int texts(List<String> values);
    }

    /** Before, the 600,003 tokens were decoded: some 20 MiB of empty maps from a payload of 300 KB. */
    @Test
    void argumentsWithMoreTokensThanTheBoundAreRefused() throws Exception {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(0x81); // [ the one argument
        payload.write(INDEFINITE_ARRAY);
        for (int i = 0; i < 300_000; i++) {
            payload.write(EMPTY_MAP);
        }
        payload.write(BREAK);

        assertRefused("anything", Object.class, payload.toByteArray(),
                "the arguments have more than 250000 CBOR tokens, the most a request may have (at byte ");
        assertThat(received).hasValue(null);
    }

    /**
     * The tokens are counted as the decoder reads them, a map's keys too (read with nextFieldName, not
     * nextToken), and the refusal names the bound and the byte the token that passed it starts at.
     */
    @Test
    void everyTokenTheDecoderReadsIsCountedAndTheRefusalNamesTheBound() throws Exception {
        ByteArrayOutputStream keys = new ByteArrayOutputStream();
        keys.write(0x81);
        keys.write(0xbf); // a map of indefinite length
        for (int i = 0; i < 130_000; i++) {
            keys.write(0x60); // the key ""
            keys.write(0x00); // the value 0
        }
        keys.write(BREAK);
        assertRefused("anything", Object.class, keys.toByteArray(), "more than 250000 CBOR tokens", "(at byte 250000)");

        ByteArrayOutputStream numbers = new ByteArrayOutputStream();
        numbers.write(0x81);
        numbers.write(INDEFINITE_ARRAY);
        for (int i = 0; i < 300_000; i++) {
            numbers.write(0x07);
        }
        numbers.write(BREAK);
        assertThatThrownBy(() -> call("numbers", List.class, numbers.toByteArray()))
                .hasMessageContaining("the arguments have more than 250000 CBOR tokens, the most a request may have"
                        + " (at byte 250000)");
        assertThat(received).hasValue(null);
    }

    @Test
    void argumentsWithinTheTokenBoundAreDecoded() throws Exception {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(0x81);
        payload.write(INDEFINITE_ARRAY);
        for (int i = 0; i < 200_000; i++) {
            payload.write(0x07); // the integer 7
        }
        payload.write(BREAK);

        assertThat(call("numbers", List.class, payload.toByteArray())).isNotNull();
        assertThat((List<?>) received.get()).hasSize(200_000);
    }

    /**
     * Before, only Jackson's default of 1,000 held: a decoder recursing as deep on an event loop's stack.
     * The refusal names the argument and the depth in the project's words: before, it was Jackson's
     * {@code Document nesting depth (257) exceeds the maximum allowed (256, from
     * `StreamReadConstraints.getMaxNestingDepth()`)}, which named a setting of Jackson's and no argument.
     */
    @Test
    void argumentsNestedDeeperThanTheBoundAreRefused() throws Exception {
        String past = "arrays and maps nested 257 deep (the payload's own array counted), past the most a request"
                + " may carry (256)";
        assertRefused("anything", Object.class, nested(300), ": argument 0, declared Object, has " + past);
        assertRefused("anything", Object.class, nested(256), ": argument 0, declared Object, has " + past + " (at byte ");
        assertThatThrownBy(() -> call("anything", Object.class, nested(300)))
                .hasMessageNotContaining("StreamReadConstraints").hasMessageNotContaining("Document nesting");
        assertThat(received).hasValue(null);

        assertThat(call("anything", Object.class, nested(255))).isNotNull();
    }

    /**
     * Before, 1 × 10<sup>2147483647</sup> (a decimal fraction of nine bytes) reached the
     * implementation, whose first arithmetic on it could run for ever or fail with OutOfMemoryError;
     * a BigInteger parameter was left to convert it.
     */
    @Test
    void aDecimalWithAScalePastTheBoundIsRefused() throws Exception {
        byte[] huge = decimalFraction(0x7fffffff);
        String bound = "past the most a request may carry (-100000 to 100000)";

        assertRefused("decimal", BigDecimal.class, huge, "a decimal with scale -2147483647, " + bound);
        assertRefused("anything", Object.class, huge, "a decimal with scale -2147483647, " + bound);
        assertRefused("integer", BigInteger.class, huge, "a decimal with scale -2147483647, " + bound);
        assertRefused("decimal", BigDecimal.class, decimalFraction(-100_001), "a decimal with scale 100001, " + bound);
        assertThat(received).hasValue(null);
    }

    @Test
    void aDecimalWithinTheScaleBoundIsRead() throws Exception {
        call("decimal", BigDecimal.class, decimalFraction(-100_000));

        assertThat(received.get()).isEqualTo(new BigDecimal(BigInteger.ONE, 100_000));
    }

    /**
     * Before, each decimal within the scale bound passed, however many: 2,000 of 1 &times;
     * 10<sup>100000</sup> (8 bytes each) read as BigIntegers were 10 s of CPU and 79 MiB.
     */
    @Test
    void decimalsWhoseScalesAddUpPastTheBoundAreRefused() throws Exception {
        String bound = "decimals whose scales past 100 (either sign) add up to more than 1000000, the most a request may carry";

        assertRefused("decimals", List.class, decimalFractions(2_000, 100_000), bound, "(at byte 82)");
        assertRefused("anything", Object.class, decimalFractions(11, -100_000), bound);
        assertThat(received).hasValue(null);
    }

    @Test
    void decimalsWhoseScalesAddUpToTheBoundAreRead() throws Exception {
        call("decimals", List.class, decimalFractions(10, 100_000));

        BigDecimal read = new BigDecimal(BigInteger.ONE, -100_000);
        // counted, not compared: a failure would print 100,000 digits for each
        assertThat(((List<?>) received.get()).stream().filter(read::equals).count()).isEqualTo(10);
    }

    /** Amounts of 18 places cost nothing worth bounding: 56,000 of them (under 1 MiB) are read. */
    @Test
    void manyAmountsOfEighteenPlacesAreRead() throws Exception {
        call("decimals", List.class, decimalFractions(56_000, -18));

        assertThat((List<?>) received.get()).hasSize(56_000);
    }

    /** {@code [[4([exponent, 1]), ...]]}: a list of {@code count} decimal fractions 1 × 10<sup>exponent</sup>. */
    private static byte[] decimalFractions(int count, int exponent) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(0x81);
        payload.write(INDEFINITE_ARRAY);
        for (int i = 0; i < count; i++) {
            byte[] one = decimalFraction(exponent);
            payload.write(one, 1, one.length - 1);
        }
        payload.write(BREAK);
        return payload.toByteArray();
    }

    /**
     * Before, each 3-byte reference to a byte string of 16 KiB was decoded to a new String of its
     * Base64 (21,848 chars): 5,000 of them, 31 KB of payload, were 109 million chars in the list the
     * implementation got. The namespace is refused where it opens, before any reference is resolved.
     */
    @Test
    void stringReferencesAreRefusedNotRepeated() throws Exception {
        int size = 16 * 1024;
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(0x81);
        payload.write(new byte[] {(byte) 0xd9, 0x01, 0x00}); // tag 256: a string reference namespace
        payload.write(INDEFINITE_ARRAY);
        payload.write(new byte[] {0x59, (byte) (size >>> 8), (byte) size}); // a byte string of 16 KiB
        payload.write(new byte[size]);
        for (int i = 0; i < 5_000; i++) {
            payload.write(new byte[] {(byte) 0xd8, 0x19, 0x00}); // tag 25: the string reference 0
        }
        payload.write(BREAK);

        assertRefused("texts", List.class, payload.toByteArray(),
                "a CBOR string reference (tag 25 or 256), which is not read", "(at byte 1)");
        assertThat(received).hasValue(null);
    }

    /** {@code [4([exponent, 1])]}: 1 × 10<sup>exponent</sup> as a CBOR decimal fraction. */
    private static byte[] decimalFraction(int exponent) {
        int head = exponent >= 0 ? 0x1a : 0x3a; // a 32-bit unsigned or negative integer
        int magnitude = exponent >= 0 ? exponent : -1 - exponent;
        return new byte[] {(byte) 0x81, (byte) 0xc4, (byte) 0x82, (byte) head, (byte) (magnitude >>> 24),
            (byte) (magnitude >>> 16), (byte) (magnitude >>> 8), (byte) magnitude, 0x01};
    }

    /** {@code [[[...[0]...]]]}: the argument, {@code depth} arrays deep. */
    private static byte[] nested(int depth) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(0x81);
        for (int i = 0; i < depth; i++) {
            payload.write(0x81);
        }
        payload.write(0x00);
        return payload.toByteArray();
    }

    private ByteBuf call(String method, Class<?> parameter, byte[] payload) throws Exception {
        int command = Rpc.command(Sink.class, Sink.class.getMethod(method, parameter));
        Message request = Message.request("test.sink", command, 1, 10_000, Unpooled.wrappedBuffer(payload));
        return handler.handle(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void assertRefused(String method, Class<?> parameter, byte[] payload, String... why) {
        assertThatThrownBy(() -> call(method, parameter, payload)).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
            assertThat(e).hasMessageStartingWith("REMOTE_ERROR: cannot decode the arguments of "
                    + Sink.class.getSimpleName() + "." + method);
            for (String part : why) {
                assertThat(e).hasMessageContaining(part);
            }
        });
    }
}
