package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.msf.client.api.Address;
import io.msf.client.testing.InMemoryAgent;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the Jackson side of an interface is built: at its first call, once, whichever threads make it
 * (Jackson makes an annotated type's serializer and deserializer while it builds a reader or writer).
 */
class RpcCodecSetUpTest {

    private static final Address AT = Address.name("test.stamps");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger CODECS_MADE = new AtomicInteger();

    @BeforeEach
    void noneMadeYet() {
        CODECS_MADE.set(0);
    }

    @Test
    void makingAnInterfaceCallableSetsUpNoJacksonTheFirstCallDoes() {
        try (InMemoryAgent agent = TestAgents.serving(AT, Rpc.handler(Stamps.class, Stamp::text))) {
            Stamps proxy = Rpc.proxy(TestAgents.caller(agent), AT, Stamps.class, TIMEOUT);

            assertThat(CODECS_MADE).as("(de)serializers made before any call").hasValue(0);
            assertThat(proxy.read(new Stamp("first"))).isEqualTo("first");
            assertThat(CODECS_MADE).as("(de)serializers made by the first call").hasPositiveValue();
        }
    }

    @Test
    void concurrentFirstCallsAllGetThrough() throws Exception {
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
            } finally {
                callers.shutdownNow();
            }
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

    /** Jackson's: a Stamp as its text. */
    public static final class StampWriter extends StdSerializer<Stamp> {
        public StampWriter() {
            super(Stamp.class);
            CODECS_MADE.incrementAndGet();
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
            CODECS_MADE.incrementAndGet();
        }

        @Override
        public Stamp deserialize(JsonParser in, DeserializationContext context) throws IOException {
            return new Stamp(in.getValueAsString());
        }
    }
}
