package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.testing.InMemoryAgent;
import io.msf.protocol.api.ErrorCode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When and where the Jackson side of an interface is built: in the background as soon as the
 * interface is made callable, not on the thread that makes it callable (a service's activation) nor
 * on the first call's (an agent's event loop); once, whichever threads meet it first. Jackson makes an
 * annotated type's serializer and deserializer while it builds a writer or reader, so they count the
 * codec builds.
 */
class RpcCodecSetUpTest {

    private static final Address AT = Address.name("test.stamps");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Both sides build one codec each, with a writer and a reader of Stamp in each. */
    private static final int SERIALIZERS_OF_TWO_CODECS = 4;
    private static final AtomicInteger CODECS_MADE = new AtomicInteger();
    private static final Set<String> BUILT_ON = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void noneMadeYet() {
        CODECS_MADE.set(0);
        BUILT_ON.clear();
    }

    @Test
    void theCodecIsBuiltInTheBackgroundNotByWhoeverMakesTheInterfaceCallable() {
        try (InMemoryAgent agent = TestAgents.serving(AT, Rpc.handler(Stamps.class, Stamp::text))) {
            Stamps proxy = Rpc.proxy(TestAgents.caller(agent), AT, Stamps.class, TIMEOUT);

            await().atMost(Duration.ofSeconds(10)).untilAtomic(CODECS_MADE, equalTo(SERIALIZERS_OF_TWO_CODECS));
            assertThat(BUILT_ON).containsOnly("msf-rpc-codec");
            assertThat(proxy.read(new Stamp("first"))).isEqualTo("first");
            assertThat(CODECS_MADE).as("nothing built again by the call").hasValue(SERIALIZERS_OF_TWO_CODECS);
        }
    }

    @Test
    void concurrentFirstCallsAllGetThroughAndTheCodecIsBuiltOnce() throws Exception {
        try (InMemoryAgent agent = TestAgents.serving(AT, Rpc.handler(Stamps.class, Stamp::text))) {
            Stamps proxy = Rpc.proxy(TestAgents.caller(agent), AT, Stamps.class, TIMEOUT);
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                List<Callable<String>> calls = IntStream.range(0, 8)
                        .<Callable<String>>mapToObj(i -> () -> proxy.read(new Stamp("call " + i))).toList();
                List<Future<String>> results = callers.invokeAll(calls);

                for (int i = 0; i < results.size(); i++) {
                    assertThat(results.get(i).get()).isEqualTo("call " + i);
                }
                assertThat(CODECS_MADE).hasValue(SERIALIZERS_OF_TWO_CODECS);
            } finally {
                callers.shutdownNow();
            }
        }
    }

    @Test
    void aCodecThatCannotBeBuiltFailsEachCallWithTheReasonAndTheInterface() {
        try (InMemoryAgent agent = TestAgents.serving(AT, Rpc.handler(Stamps.class, Stamp::text))) {
            Unwritable proxy = Rpc.proxy(TestAgents.caller(agent), AT, Unwritable.class, TIMEOUT);

            for (int call = 0; call < 2; call++) {
                assertThatThrownBy(() -> proxy.read(new Unbuildable()))
                        .isInstanceOf(AgentException.class)
                        .hasMessageContaining("cannot set up the RPC codec of " + Unwritable.class.getName())
                        .hasMessageContaining("no serializer today")
                        .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(ErrorCode.REMOTE_ERROR));
            }
            assertThat(Rpc.proxy(TestAgents.caller(agent), AT, Stamps.class, TIMEOUT).read(new Stamp("still up")))
                    .isEqualTo("still up");
        }
    }

    /** Calls with a type whose serializer cannot be made. */
    public interface Unwritable {
        String read(Unbuildable value);
    }

    /** Jackson cannot make its serializer. */
    @JsonSerialize(using = FailingWriter.class)
    public record Unbuildable() {
    }

    /** Jackson's: fails to be made. */
    public static final class FailingWriter extends StdSerializer<Unbuildable> {
        public FailingWriter() {
            super(Unbuildable.class);
            throw new IllegalStateException("no serializer today");
        }

        @Override
        public void serialize(Unbuildable value, JsonGenerator out, SerializerProvider provider) {
        }
    }

    /** The interface. */
    public interface Stamps {
        String read(Stamp stamp);
    }

    /** Written and read by codecs that count themselves. */
    @JsonSerialize(using = StampWriter.class)
    @JsonDeserialize(using = StampReader.class)
    public record Stamp(String text) {
    }

    private static void made() {
        BUILT_ON.add(Thread.currentThread().getName());
        CODECS_MADE.incrementAndGet();
    }

    /** Jackson's: a Stamp as its text. */
    public static final class StampWriter extends StdSerializer<Stamp> {
        public StampWriter() {
            super(Stamp.class);
            made();
        }

        @Override
        public void serialize(Stamp stamp, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(stamp.text());
        }
    }

    /** Jackson's: a Stamp from its text. */
    public static final class StampReader extends StdDeserializer<Stamp> {
        public StampReader() {
            super(Stamp.class);
            made();
        }

        @Override
        public Stamp deserialize(JsonParser in, DeserializationContext context) throws IOException {
            return new Stamp(in.getValueAsString());
        }
    }
}
