package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.msf.client.api.Address;
import io.msf.client.testing.InMemoryAgent;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What goes wrong: timeouts, versions apart, payloads that are not what they should be. */
class RpcFailureTest {

    private static final Address AT = Address.name("test.slow");
    private static final CBORMapper CBOR = new CBORMapper();

    private final CountDownLatch release = new CountDownLatch(1);
    private final CompletableFuture<String> never = new CompletableFuture<>();
    private final Slow slow = new Slow() {
        @Override
        public String blocking() throws InterruptedException {
            release.await();
            return "released";
        }

        @Override
        public CompletionStage<String> neverCompletes() {
            return never;
        }
    };
    private final MessageHandler slowHandler = Rpc.handler(Slow.class, slow, Duration.ofMillis(100));
    private final InMemoryAgent agent = TestAgents.serving(AT, slowHandler);

    /** Methods that take as long as the test wants. */
    public interface Slow {
        String blocking() throws InterruptedException;

        CompletionStage<String> neverCompletes();
    }

    @AfterEach
    void everyBufferReleased() {
        release.countDown();
        await().until(agent::allReleased);
        agent.close();
    }

    /**
     * A request carries its timeout as a 32-bit count of milliseconds: a longer one is refused when
     * the proxy is made, not at every call (over a socket) or cut short without a word (in the container).
     */
    @Test
    void aTimeoutLongerThanARequestCanCarryIsRefusedWhenTheProxyIsMade() {
        Duration longest = Duration.ofMillis(Integer.MAX_VALUE);
        assertThat(Rpc.proxy(TestAgents.caller(agent), AT, Slow.class, longest)).isNotNull();

        assertThatThrownBy(() -> Rpc.proxy(TestAgents.caller(agent), AT, Slow.class, longest.plusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout PT596H31M23.648S is longer than a request can carry (PT596H31M23.647S,"
                        + " 2^31 - 1 ms)");
    }

    @Test
    void aSyncCallTimesOut() {
        Slow proxy = Rpc.proxy(TestAgents.caller(agent), AT, Slow.class, Duration.ofMillis(50));

        assertThatThrownBy(proxy::blocking).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
            assertThat(e).hasMessageContaining("Slow.blocking() at test.slow");
        });
    }

    @Test
    void anAsyncCallWhoseStageNeverCompletesTimesOut() {
        Slow proxy = Rpc.proxy(TestAgents.caller(agent), AT, Slow.class, Duration.ofMillis(50));

        CompletableFuture<String> result = proxy.neverCompletes().toCompletableFuture();

        assertThatThrownBy(result::join).cause().isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    }

    @Test
    void theHandlerGivesUpOnANeverCompletingStageAfterTheRequestsTimeout() throws Exception {
        CompletableFuture<ByteBuf> answer = handle(slowHandler, request("neverCompletes", 50, List.of()));

        await().until(answer::isDone);
        assertThatThrownBy(answer::join).cause().isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
            assertThat(e).hasMessageContaining("Slow.neverCompletes() did not complete within 50 ms");
        });
    }

    @Test
    void withoutATimeoutInTheRequestTheHandlerWaitsItsMaxCallTime() throws Exception {
        CompletableFuture<ByteBuf> answer = handle(slowHandler, request("neverCompletes", 0, List.of()));

        await().until(answer::isDone);
        assertThatThrownBy(answer::join).cause().hasMessageContaining("did not complete within 100 ms");
    }

    @Test
    void aMethodTheOtherSideDoesNotHaveIsNoHandler() {
        Newer proxy = Rpc.proxy(TestAgents.caller(agent), AT, Newer.class, Duration.ofSeconds(10));

        assertThatThrownBy(() -> proxy.rating(1)).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e).isNotInstanceOf(RemoteInvocationException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.NO_HANDLER);
            assertThat(e).hasMessageContaining("Newer.rating(int) at test.slow")
                    .hasMessageContaining(Slow.class.getName() + " has no method with command");
        });
    }

    /** A later version of an interface, with a method the handler does not have. */
    public interface Newer {
        int rating(int number);
    }

    @Test
    void argumentsThatAreNotCborAreAClearErrorAndTheHandlerGoesOn() throws Exception {
        MessageHandler handler = Rpc.handler(Library.class, new InMemoryLibrary());
        int track = Rpc.command(Library.class.getMethod("track", int.class));

        assertBadArguments(handler, track, new byte[] {(byte) 0xFF, 0x00, 0x13}, "Library.track(int)");
        assertBadArguments(handler, track, new byte[0], "expected an array of 1 arguments, found the end of the payload");
        assertBadArguments(handler, track, CBOR.writeValueAsBytes("hello"), "expected an array of 1 arguments, found a text string");
        assertBadArguments(handler, track, CBOR.writeValueAsBytes(List.of()), "expected 1 arguments, found 0");
        assertBadArguments(handler, track, CBOR.writeValueAsBytes(List.of(1, 2)), "expected the end of the array after 1 arguments");
        assertBadArguments(handler, track, CBOR.writeValueAsBytes(List.of("two")), "argument 0, declared int, is a text string (\"two\") (at byte 1)");
        assertBadArguments(handler, track, CBOR.writeValueAsBytes(Collections.singletonList(null)), "argument 0, declared int, is null");
        byte[] trailing = concat(CBOR.writeValueAsBytes(List.of(1)), new byte[] {0x01});
        assertBadArguments(handler, track, trailing, "expected the end of the payload, found more");

        CompletableFuture<ByteBuf> good = handle(handler, raw(track, CBOR.writeValueAsBytes(List.of(1)), 1000));
        ByteBuf reply = good.get();
        assertThat(CBOR.readTree(bytes(reply)).get(1).get("title").asText()).isEqualTo("So What");
        reply.release();
    }

    /**
     * A number with a fraction where an {@code int} is declared is a bad payload, as a null is: Jackson
     * would cut 1.5 to track 1 (and NaN to track 0), so the handler answered for a number it was not sent.
     */
    @Test
    void aFractionWhereAnIntIsDeclaredIsRefusedNotCut() throws Exception {
        MessageHandler handler = Rpc.handler(Library.class, new InMemoryLibrary());
        int track = Rpc.command(Library.class.getMethod("track", int.class));

        assertBadArguments(handler, track, CBOR.writeValueAsBytes(List.of(1.5)), "argument 0, declared int, is a floating-point number (1.5)");
        assertBadArguments(handler, track, CBOR.writeValueAsBytes(List.of(1.0f)), "argument 0, declared int, is a floating-point number (1.0)");
        assertBadArguments(handler, track, CBOR.writeValueAsBytes(List.of(Double.NaN)), "argument 0, declared int, is a floating-point number (NaN)");
    }

    @Test
    void aReplyThatIsNotAnRpcReplyIsAClearError() {
        for (byte[] garbage : List.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0x82, 0x07, 0x00}, new byte[0])) {
            InMemoryAgent raw = TestAgents.serving(AT,
                    m -> CompletableFuture.completedFuture(Unpooled.buffer(garbage.length).writeBytes(garbage)));
            Library proxy = Rpc.proxy(TestAgents.caller(raw), AT, Library.class, Duration.ofSeconds(10));

            assertThatThrownBy(proxy::tracks).isInstanceOfSatisfying(AgentException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
                assertThat(e).hasMessageContaining("the reply to Library.tracks() at test.slow is not an RPC reply");
            });
            await().until(raw::allReleased);
            raw.close();
        }
    }

    /**
     * A reply is read within the handler's bounds but the token count: CBOR string references, which
     * would decode each time to a new copy of what they repeat, are refused where their namespace opens.
     */
    @Test
    void aReplyWithStringReferencesIsRefused() {
        // [0, 256([h'00', 25(0), 25(0)])]
        byte[] reply = {(byte) 0x82, 0x00, (byte) 0xd9, 0x01, 0x00, (byte) 0x83, 0x41, 0x00, (byte) 0xd8, 0x19, 0x00,
            (byte) 0xd8, 0x19, 0x00};
        InMemoryAgent raw = TestAgents.serving(AT, m -> CompletableFuture.completedFuture(Unpooled.wrappedBuffer(reply)));
        Library proxy = Rpc.proxy(TestAgents.caller(raw), AT, Library.class, Duration.ofSeconds(10));

        assertThatThrownBy(proxy::tracks).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
            assertThat(e.detail()).startsWith("the reply to Library.tracks() at test.slow is not an RPC reply:"
                    + " a CBOR string reference (tag 25 or 256), which is not read");
        });
        await().until(raw::allReleased);
        raw.close();
    }

    /**
     * A reply's decimals are held to the bounds of a request's: each scale within &plusmn;100,000, and
     * all of them adding up to at most 1,000,000, or 1 &times; 10<sup>100000</sup> in 8 bytes, made
     * a BigInteger by the caller, would be 41 KB each.
     */
    @Test
    void aReplyWhoseDecimalsAddUpPastTheBoundIsRefused() throws Exception {
        // [0, [4([-100000, 1]), ...]]: 11 of 1 x 10^-100000
        java.io.ByteArrayOutputStream reply = new java.io.ByteArrayOutputStream();
        reply.write(new byte[] {(byte) 0x82, 0x00, (byte) 0x8b});
        for (int i = 0; i < 11; i++) {
            reply.write(new byte[] {(byte) 0xc4, (byte) 0x82, 0x3a, 0x00, 0x01, (byte) 0x86, (byte) 0x9f, 0x01});
        }
        byte[] bytes = reply.toByteArray();
        InMemoryAgent raw = TestAgents.serving(AT, m -> CompletableFuture.completedFuture(Unpooled.wrappedBuffer(bytes)));
        Amounts proxy = Rpc.proxy(TestAgents.caller(raw), AT, Amounts.class, Duration.ofSeconds(10));

        assertThatThrownBy(proxy::all).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
            assertThat(e.detail()).isEqualTo("the reply to Amounts.all() at test.slow is not an RPC reply: decimals"
                    + " whose scales past 100 (either sign) add up to more than 1000000, the most a reply may carry (at byte 83)");
        });
        await().until(raw::allReleased);
        raw.close();
    }

    /** Decimals, as large as they come. */
    public interface Amounts {
        List<java.math.BigDecimal> all();
    }

    /**
     * A THREW reply's message is a text string or null: anything else is refused saying so, and
     * where, not by what the reader met inside it.
     */
    @Test
    void aThrewReplyWhoseMessageIsNoTextIsRefusedSayingSo() throws Exception {
        Map<Object, String> found = new java.util.LinkedHashMap<>();
        found.put(Map.of("text", "boom"), "a map");
        found.put(List.of("boom"), "an array");
        found.put(7, "an integer");
        for (Map.Entry<Object, String> message : found.entrySet()) {
            byte[] reply = CBOR.writeValueAsBytes(Arrays.asList(1, "com.acme.Boom", message.getKey()));
            InMemoryAgent raw = TestAgents.serving(AT,
                    m -> CompletableFuture.completedFuture(Unpooled.wrappedBuffer(reply)));
            Library proxy = Rpc.proxy(TestAgents.caller(raw), AT, Library.class, Duration.ofSeconds(10));

            assertThatThrownBy(proxy::tracks).isInstanceOfSatisfying(AgentException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
                assertThat(e.detail()).isEqualTo("the reply to Library.tracks() at test.slow is not an RPC reply:"
                        + " expected the message of what was thrown (a text string or null), found "
                        + message.getValue() + " (at byte 16)");
            });
            await().until(raw::allReleased);
            raw.close();
        }
    }

    @Test
    void aPayloadNamingAClassIsRefusedNotLoaded() {
        try (InMemoryAgent shapes = TestAgents.serving(AT, Rpc.handler(Shapes.class, shape -> "drawn"))) {
            Shapes proxy = Rpc.proxy(TestAgents.caller(shapes), AT, Shapes.class, Duration.ofSeconds(10));

            assertThatThrownBy(() -> proxy.draw(new Circle(1.5))).isInstanceOfSatisfying(AgentException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
                assertThat(e).hasMessageContaining("cannot decode the arguments of Shapes.draw(Shape)")
                        .hasMessageContaining("PolymorphicTypeValidator");
            });
            await().until(shapes::allReleased);
        }
    }

    @Test
    void aClassNamedInAPayloadIsNotLookedUp(@TempDir Path dir) throws Exception {
        Path annotations = Path.of(JsonTypeInfo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Javac.compile(dir, Map.of("Shape", "@com.fasterxml.jackson.annotation.JsonTypeInfo("
                        + "use = com.fasterxml.jackson.annotation.JsonTypeInfo.Id.CLASS) public interface Shape { }",
                "Shapes", "public interface Shapes { String draw(Shape shape); }"), annotations);

        try (NotingLoader loader = new NotingLoader(dir)) {
            @SuppressWarnings("unchecked")
            Class<Object> shapes = (Class<Object>) loader.loadClass("p.Shapes");
            MessageHandler handler = Rpc.handler(shapes,
                    Proxy.newProxyInstance(loader, new Class<?>[] {shapes}, (proxy, method, args) -> "drawn"));
            int draw = Rpc.command(shapes, shapes.getMethod("draw", loader.loadClass("p.Shape")));
            String failure = refusedShape(handler, draw, "p.Square");

            assertThat(loader.asked).doesNotContain("p.Square");
            // the same answer whether or not the class is there: a peer learns nothing of the class path
            assertThat(failure).contains("Could not resolve type id 'p.Square'").contains("denied resolution")
                    .isEqualTo(refusedShape(handler, draw, "p.Shapes").replace("p.Shapes", "p.Square"));
        }
    }

    private static String refusedShape(MessageHandler handler, int command, String className) throws Exception {
        Message request = raw(command, CBOR.writeValueAsBytes(List.of(Map.of("@class", className))), 1000);
        try {
            handler.handle(request);
        } catch (AgentException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
            return e.getMessage();
        } finally {
            request.release();
        }
        throw new AssertionError("a payload naming " + className + " was accepted");
    }

    /** Loads the classes compiled into a folder, and notes the name of every class it is asked for. */
    private static final class NotingLoader extends URLClassLoader {
        final Set<String> asked = ConcurrentHashMap.newKeySet();

        NotingLoader(Path dir) throws IOException {
            super(new URL[] {dir.toUri().toURL()}, RpcFailureTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            asked.add(name);
            return super.loadClass(name, resolve);
        }
    }

    /** A type whose JSON names its class: the one kind of payload that would load a class by name. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
    public interface Shape {
    }

    public record Circle(double radius) implements Shape {
    }

    public interface Shapes {
        String draw(Shape shape);
    }

    private static void assertBadArguments(MessageHandler handler, int command, byte[] payload, String expected) {
        Message request = raw(command, payload, 1000);
        try {
            assertThatThrownBy(() -> handler.handle(request)).isInstanceOfSatisfying(AgentException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
                assertThat(e).hasMessageContaining("cannot decode the arguments of Library.track(int)")
                        .hasMessageContaining(expected);
            });
        } finally {
            request.release();
        }
    }

    private static CompletableFuture<ByteBuf> handle(MessageHandler handler, Message request) throws Exception {
        try {
            return handler.handle(request).toCompletableFuture();
        } finally {
            request.release();
        }
    }

    private static Message request(String method, int timeoutMillis, List<Object> args) throws Exception {
        return raw(Rpc.command(Slow.class.getMethod(method)), CBOR.writeValueAsBytes(args), timeoutMillis);
    }

    private static Message raw(int command, byte[] payload, int timeoutMillis) {
        return Message.request("test.slow", command, 1, timeoutMillis, Unpooled.wrappedBuffer(payload)).withSource(5);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }
}
