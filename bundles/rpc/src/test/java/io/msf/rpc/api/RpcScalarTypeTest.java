package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.client.testing.InMemoryAgent;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Numbers and booleans are read by their declared types only: text where one is declared is refused,
 * as a fraction for an int is, not parsed into one; what the codec documents still decodes.
 */
class RpcScalarTypeTest {

    private static final Address AT = Address.name("test.scalars");
    private static final CBORMapper CBOR = new CBORMapper();
    private static final UUID AN_ID = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");

    private final MessageHandler handler = Rpc.handler(Scalars.class, new Echo());

    /** Each method answers what it was given. */
    public interface Scalars {
        int number(int value);

        Long boxed(Long value);

        BigInteger big(BigInteger value);

        double real(double value);

        Float boxedReal(Float value);

        BigDecimal decimal(BigDecimal value);

        boolean flag(boolean value);

        Boolean boxedFlag(Boolean value);

        Setting setting(Setting value);

        Library.Format format(Library.Format value);

        UUID id(UUID value);

        char letter(char value);

        String text(String value);

        int total(Map<String, List<Integer>> counts);

        int sum(int[][] rows);

        double[] reals(double[] values);

        float[] shortReals(float[] values);

        List<Double> realList(List<Double> values);

        Character boxedLetter(Character value);
    }

    public record Setting(String key, int level, boolean on) {
    }

    private static final class Echo implements Scalars {
        @Override
        public int number(int value) {
            return value;
        }

        @Override
        public Long boxed(Long value) {
            return value;
        }

        @Override
        public BigInteger big(BigInteger value) {
            return value;
        }

        @Override
        public double real(double value) {
            return value;
        }

        @Override
        public Float boxedReal(Float value) {
            return value;
        }

        @Override
        public BigDecimal decimal(BigDecimal value) {
            return value;
        }

        @Override
        public boolean flag(boolean value) {
            return value;
        }

        @Override
        public Boolean boxedFlag(Boolean value) {
            return value;
        }

        @Override
        public Setting setting(Setting value) {
            return value;
        }

        @Override
        public Library.Format format(Library.Format value) {
            return value;
        }

        @Override
        public UUID id(UUID value) {
            return value;
        }

        @Override
        public char letter(char value) {
            return value;
        }

        @Override
        public String text(String value) {
            return value;
        }

        @Override
        public int total(Map<String, List<Integer>> counts) {
            return counts.values().stream().flatMap(List::stream).mapToInt(Integer::intValue).sum();
        }

        @Override
        public int sum(int[][] rows) {
            return java.util.Arrays.stream(rows).flatMapToInt(java.util.Arrays::stream).sum();
        }

        @Override
        public double[] reals(double[] values) {
            return values;
        }

        @Override
        public float[] shortReals(float[] values) {
            return values;
        }

        @Override
        public List<Double> realList(List<Double> values) {
            return values;
        }

        @Override
        public Character boxedLetter(Character value) {
            return value;
        }
    }

    @Test
    void textWhereAWholeNumberIsDeclaredIsRefused() throws Exception {
        assertRefused("number", int.class, "2", "argument 0, declared int, is a text string (\"2\") (at byte 1)");
        assertRefused("number", int.class, "", "argument 0, declared int, is a text string (\"\")");
        assertRefused("number", int.class, " ", "argument 0, declared int, is a text string (\" \")");
        assertRefused("boxed", Long.class, "2", "argument 0, declared Long, is a text string (\"2\")");
        assertRefused("boxed", Long.class, "", "argument 0, declared Long, is a text string (\"\")");
        assertRefused("big", BigInteger.class, "2", "argument 0, declared BigInteger, is a text string (\"2\")");
    }

    @Test
    void textWhereAFloatingPointNumberIsDeclaredIsRefused() throws Exception {
        assertRefused("real", double.class, "1.5", "argument 0, declared double, is a text string (\"1.5\")");
        assertRefused("real", double.class, "", "argument 0, declared double, is a text string (\"\")");
        assertRefused("boxedReal", Float.class, "1.5", "argument 0, declared Float, is a text string (\"1.5\")");
        assertRefused("decimal", BigDecimal.class, "1.5", "argument 0, declared BigDecimal, is a text string (\"1.5\")");
        assertRefused("decimal", BigDecimal.class, "", "argument 0, declared BigDecimal, is a text string (\"\")");
    }

    @Test
    void textOrANumberWhereABooleanIsDeclaredIsRefused() throws Exception {
        assertRefused("flag", boolean.class, "true", "argument 0, declared boolean, is a text string (\"true\")");
        assertRefused("flag", boolean.class, "", "argument 0, declared boolean, is a text string (\"\")");
        assertRefused("flag", boolean.class, 1, "argument 0, declared boolean, is an integer (1)");
        assertRefused("boxedFlag", Boolean.class, "false", "argument 0, declared Boolean, is a text string (\"false\")");
        assertRefused("boxedFlag", Boolean.class, 0, "argument 0, declared Boolean, is an integer (0)");
    }

    @Test
    void textInARecordsNumberOrBooleanIsRefused() throws Exception {
        assertRefused("setting", Setting.class, Map.of("level", "2"),
                "argument 0, declared Setting, has a text string (\"2\") at level, declared int");
        assertRefused("setting", Setting.class, Map.of("on", "true"),
                "argument 0, declared Setting, has a text string (\"true\") at on, declared boolean");
    }

    @Test
    void aValueDeepInAnArgumentIsNamedByItsPath() throws Exception {
        assertRefused("total", Map.class, Map.of("rock", List.of(1, "2")),
                "argument 0, declared Map<String,List<Integer>>, has a text string (\"2\") at rock[1], declared Integer");
        assertRefused("sum", int[][].class, List.of(List.of(1), Collections.singletonList(null)),
                "argument 0, declared int[][], has null at [1][0], declared int");
        assertRefused("sum", int[][].class, List.of(List.of(1), List.of(2, "3")),
                "argument 0, declared int[][], has a text string (\"3\") at [1][1], declared int");
        // the int[] itself is what is wrong, not an element of it
        assertRefused("sum", int[][].class, List.of(List.of(1), true),
                "argument 0, declared int[][], has a boolean (true) at [1], declared int[]");
    }

    /**
     * Before, text where an array was declared failed as no constructor of the array taking text (Jackson's
     * InvalidDefinitionException), which named no argument: {@code Cannot construct instance of `int[]`: no
     * String-argument constructor/factory method to deserialize from String value ('x')}.
     */
    @Test
    void textWhereAnArrayIsDeclaredIsRefusedNamingTheArgumentAndThePath() throws Exception {
        assertRefused("sum", int[][].class, List.of(List.of(1), "x"),
                "argument 0, declared int[][], has a text string (\"x\") at [1], declared int[]");
        assertRefused("sum", int[][].class, "x", "argument 0, declared int[][], is a text string (\"x\")");
        assertRefused("sum", int[][].class, List.of(List.of(1), 2),
                "argument 0, declared int[][], has an integer (2) at [1], declared int[]");
    }

    /**
     * Before, the texts NaN, Infinity and -Infinity arrived as numbers where a double or float is declared
     * (Jackson reads them before it looks at the coercion settings), though text for any other number is
     * refused: {@code "NaN"} for a double answered NaN.
     */
    @Test
    void theTextOfASpecialValueWhereARealIsDeclaredIsRefused() throws Exception {
        assertRefused("real", double.class, "NaN", "argument 0, declared double, is a text string (\"NaN\")");
        assertRefused("real", double.class, "Infinity", "argument 0, declared double, is a text string (\"Infinity\")");
        assertRefused("real", double.class, "-Infinity",
                "argument 0, declared double, is a text string (\"-Infinity\")");
        assertRefused("boxedReal", Float.class, "NaN", "argument 0, declared Float, is a text string (\"NaN\")");
        assertRefused("realList", List.class, List.of(1.5, "Infinity"),
                "argument 0, declared List<Double>, has a text string (\"Infinity\") at [1], declared Double");
        assertRefused("reals", double[].class, List.of(1.5, "NaN"),
                "argument 0, declared double[], has a text string (\"NaN\") at [1], declared double");
        assertRefused("shortReals", float[].class, List.of("-Infinity"),
                "argument 0, declared float[], has a text string (\"-Infinity\") at [0], declared float");
        assertRefused("reals", double[].class, "AAAAAAAA+D8=",
                "argument 0, declared double[], is a text string (\"AAAAAAAA+D8=\")");
    }

    @Test
    void theSpecialValuesAsNumbersStillDecode() throws Exception {
        assertThat(answer("real", double.class, Double.NaN)).isEqualTo(Double.NaN);
        assertThat(answer("real", double.class, Double.NEGATIVE_INFINITY)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(answer("boxedReal", Float.class, Float.POSITIVE_INFINITY)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(answer("reals", double[].class, new double[] {Double.NaN, 1.5, Double.POSITIVE_INFINITY}))
                .isEqualTo(new double[] {Double.NaN, 1.5, Double.POSITIVE_INFINITY});
        assertThat(answer("shortReals", float[].class, new float[] {Float.NaN, 2.5f}))
                .isEqualTo(new float[] {Float.NaN, 2.5f});
        assertThat(answer("realList", List.class, List.of(Double.NaN, 3.0))).isEqualTo(List.of(Double.NaN, 3.0));
        assertThat(answer("reals", double[].class, new double[0])).isEqualTo(new double[0]);
        assertThat(answer("boxedReal", Float.class, null)).isNull();
    }

    @Test
    void aNullInAnArrayOfRealsIsRefused() throws Exception {
        assertRefused("reals", double[].class, Arrays.asList(1.5, null),
                "argument 0, declared double[], has null at [1], declared double");
    }

    /** Before, 1 where a char is declared arrived as U+0001: a char travels as text of one character. */
    @Test
    void aNumberWhereACharIsDeclaredIsRefused() throws Exception {
        assertRefused("letter", char.class, 1, "argument 0, declared char, is an integer (1)");
        assertRefused("letter", char.class, 120, "argument 0, declared char, is an integer (120)");
        assertRefused("boxedLetter", Character.class, 65, "argument 0, declared Character, is an integer (65)");
        assertThat(answer("boxedLetter", Character.class, "A")).isEqualTo('A');
    }

    /**
     * An enum travels by name: a number would pick a constant by its place, which differs between two
     * versions of the enum that gained a constant in the middle, and so does a text of digits.
     */
    @Test
    void aNumberWhereAnEnumIsDeclaredIsRefused() throws Exception {
        assertRefused("format", Library.Format.class, 0, "argument 0, declared Format, is an integer (0)");
        assertRefused("format", Library.Format.class, "1", "argument 0, declared Format: Cannot deserialize value");
    }

    @Test
    void aNumberOrBooleanWhereTextIsDeclaredIsRefused() throws Exception {
        assertRefused("text", String.class, 2, "argument 0, declared String, is an integer (2)");
        assertRefused("text", String.class, 1.5, "argument 0, declared String, is a floating-point number (1.5)");
        assertRefused("text", String.class, true, "argument 0, declared String, is a boolean (true)");
        assertRefused("setting", Setting.class, Map.of("key", 7),
                "argument 0, declared Setting, has an integer (7) at key, declared String");
    }

    /** Where Jackson's reason is the only one (a text that names no constant), it is kept without its advice. */
    @Test
    void aValueOfATypeThatTakesTextKeepsJacksonsReasonWithoutItsAdvice() throws Exception {
        assertRefused("format", Library.Format.class, "", "argument 0, declared Format: Cannot coerce empty String");
    }

    @Test
    void aNullWhereAPrimitiveIsDeclaredIsRefused() throws Exception {
        assertRefused("number", int.class, null, "argument 0, declared int, is null");
        assertRefused("real", double.class, null, "argument 0, declared double, is null");
        assertRefused("flag", boolean.class, null, "argument 0, declared boolean, is null");
        assertRefused("setting", Setting.class, Collections.singletonMap("level", null),
                "argument 0, declared Setting, has null at level, declared int");
    }

    @Test
    void whatTheCodecDocumentsStillDecodes() throws Exception {
        assertThat(answer("number", int.class, 2)).isEqualTo(2);
        assertThat(answer("boxed", Long.class, null)).isNull();
        assertThat(answer("big", BigInteger.class, BigInteger.TWO.pow(70))).isEqualTo(BigInteger.TWO.pow(70));
        assertThat(answer("real", double.class, 1.5)).isEqualTo(1.5);
        assertThat(answer("real", double.class, 2)).as("a whole number where a double is declared").isEqualTo(2.0);
        assertThat(answer("real", double.class, Double.NaN)).isEqualTo(Double.NaN);
        assertThat(answer("boxedReal", Float.class, 1.5f)).isEqualTo(1.5f);
        assertThat(answer("decimal", BigDecimal.class, new BigDecimal("12.34"))).isEqualTo(new BigDecimal("12.34"));
        assertThat(answer("flag", boolean.class, true)).isEqualTo(true);
        assertThat(answer("boxedFlag", Boolean.class, null)).isNull();
        assertThat(answer("setting", Setting.class, new Setting("k", 2, true))).isEqualTo(new Setting("k", 2, true));
        assertThat(answer("format", Library.Format.class, "FLAC")).isEqualTo(Library.Format.FLAC);
        assertThat(answer("id", UUID.class, AN_ID.toString())).isEqualTo(AN_ID);
        assertThat(answer("letter", char.class, "x")).isEqualTo('x');
        assertThat(answer("text", String.class, "2")).isEqualTo("2");
    }

    /** A proxy reads a reply by the declared result type as a handler reads arguments. */
    @Test
    void textWhereTheResultIsANumberIsRefusedByTheProxy() throws Exception {
        byte[] reply = CBOR.writeValueAsBytes(List.of(0, "2"));
        InMemoryAgent raw = TestAgents.serving(AT, m -> CompletableFuture.completedFuture(Unpooled.wrappedBuffer(reply)));
        Scalars proxy = Rpc.proxy(TestAgents.caller(raw), AT, Scalars.class, Duration.ofSeconds(10));

        assertThatThrownBy(() -> proxy.number(2)).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
            assertThat(e.detail()).isEqualTo("the reply to Scalars.number(int) at test.scalars is not an RPC reply:"
                    + " the result, declared int, is a text string (\"2\") (at byte 2)");
        });
        await().until(raw::allReleased);
        raw.close();
    }

    /** Refused with REMOTE_ERROR saying {@code expected} for the peer, none of Jackson's advice to Java developers. */
    private void assertRefused(String method, Class<?> parameter, Object sent, String expected) throws Exception {
        Message request = request(method, parameter, sent);
        try {
            assertThatThrownBy(() -> handler.handle(request)).as("%s(%s) sent %s", method, parameter, sent)
                    .isInstanceOfSatisfying(AgentException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
                        assertThat(e.detail()).startsWith("cannot decode the arguments of Scalars." + method + "("
                                + parameter.getSimpleName() + ")");
                        assertThat(e.detail()).contains(": " + expected).doesNotContain("Coercion", "Feature", "to allow");
                    });
        } finally {
            request.release();
        }
    }

    /** The value the method answered for {@code sent}, read back as its declared type. */
    private Object answer(String method, Class<?> parameter, Object sent) throws Exception {
        Message request = request(method, parameter, sent);
        ByteBuf reply;
        try {
            reply = handler.handle(request).toCompletableFuture().get();
        } finally {
            request.release();
        }
        try {
            return CBOR.readerFor(parameter).readValue(CBOR.readTree(ByteBufUtil.getBytes(reply)).get(1).traverse(CBOR));
        } finally {
            reply.release();
        }
    }

    private static Message request(String method, Class<?> parameter, Object sent) throws Exception {
        int command = Rpc.command(Scalars.class.getMethod(method, parameter));
        byte[] payload = CBOR.writeValueAsBytes(Collections.singletonList(sent));
        return Message.request(AT.name(), command, 1, 1000, Unpooled.wrappedBuffer(payload)).withSource(TestAgents.CALLER_ID);
    }
}
