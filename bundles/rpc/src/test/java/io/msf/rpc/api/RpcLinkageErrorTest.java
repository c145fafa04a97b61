package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An Error that Jackson meets while a call's arguments or result are written or read, as a bundle
 * lacking an import meets NoClassDefFoundError the first time a value needs the class: the call fails
 * with it at once, where its other failures go, instead of never completing or waiting out its timeout.
 */
class RpcLinkageErrorTest {

    private static final Address AT = Address.name("test.linkage");
    /** Far longer than the tests wait for the failure. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    private final Linkage implementation = new Linkage() {
        @Override
        public CompletionStage<Unreadable> unreadable() {
            return CompletableFuture.completedFuture(new Unreadable("written"));
        }

        @Override
        public CompletionStage<Unwritable> unwritable() {
            return CompletableFuture.completedFuture(new Unwritable());
        }

        @Override
        public Unwritable unwritableNow() {
            return new Unwritable();
        }

        @Override
        public CompletionStage<String> take(Unwritable value) {
            return CompletableFuture.completedFuture("taken");
        }
    };
    private final InMemoryAgent agent = TestAgents.serving(AT, Rpc.handler(Linkage.class, implementation));
    private final Linkage proxy = Rpc.proxy(TestAgents.caller(agent), AT, Linkage.class, TIMEOUT);

    @AfterEach
    void everyBufferReleased() {
        await().until(agent::allReleased);
        agent.close();
    }

    @Test
    void anErrorReadingTheReplyFailsTheCallersFuture() {
        CompletableFuture<Unreadable> result = proxy.unreadable().toCompletableFuture();

        assertThat(result).failsWithin(AT_ONCE).withThrowableOfType(Exception.class).havingRootCause()
                .isInstanceOf(NoClassDefFoundError.class).withMessage("reading: a class its bundle does not import");
    }

    @Test
    void anErrorWritingTheResultAnswersTheCallerAtOnce() {
        CompletableFuture<Unwritable> result = proxy.unwritable().toCompletableFuture();

        assertThat(result).failsWithin(AT_ONCE).withThrowableOfType(Exception.class).havingCause()
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
                    assertThat(e).hasMessageContaining("Linkage.unwritable() at test.linkage")
                            .hasMessageContaining("java.lang.NoClassDefFoundError: writing: a class its bundle does"
                                    + " not import");
                });
    }

    /**
     * The same for a synchronous result: the caller is told which method, as for any other result that
     * does not encode.
     */
    @Test
    void anErrorWritingASynchronousResultNamesTheMethod() {
        assertThatThrownBy(proxy::unwritableNow).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
            assertThat(e.detail()).isEqualTo("Linkage.unwritableNow() at test.linkage: cannot encode the result of"
                    + " Linkage.unwritableNow(): java.lang.NoClassDefFoundError: writing: a class its bundle does"
                    + " not import");
        });
    }

    /**
     * An Error writing an asynchronous call's arguments fails its future, as every other failure of
     * such a call does: thrown from the proxy, it would reach a caller that only looks at the future.
     */
    @Test
    void anErrorWritingTheArgumentsFailsTheFuture() {
        CompletionStage<String> result = proxy.take(new Unwritable());

        assertThat(result.toCompletableFuture()).failsWithin(AT_ONCE).withThrowableOfType(Exception.class)
                .havingRootCause().isInstanceOf(NoClassDefFoundError.class)
                .withMessage("writing: a class its bundle does not import");
    }

    /** Results and arguments Jackson cannot handle for want of a class. */
    public interface Linkage {
        CompletionStage<Unreadable> unreadable();

        CompletionStage<Unwritable> unwritable();

        Unwritable unwritableNow();

        CompletionStage<String> take(Unwritable value);
    }

    /** Written as any record; reading it needs a class that is not there. */
    @JsonDeserialize(using = UnlinkedReader.class)
    public record Unreadable(String text) {
    }

    /** Writing it needs a class that is not there. */
    @JsonSerialize(using = UnlinkedWriter.class)
    public record Unwritable() {
    }

    /** Jackson's: meets a missing class as it reads. */
    public static final class UnlinkedReader extends StdDeserializer<Unreadable> {
        public UnlinkedReader() {
            super(Unreadable.class);
        }

        @Override
        public Unreadable deserialize(JsonParser in, DeserializationContext context) {
            throw new NoClassDefFoundError("reading: a class its bundle does not import");
        }
    }

    /** Jackson's: meets a missing class as it writes. */
    public static final class UnlinkedWriter extends StdSerializer<Unwritable> {
        public UnlinkedWriter() {
            super(Unwritable.class);
        }

        @Override
        public void serialize(Unwritable value, JsonGenerator out, SerializerProvider provider) {
            throw new NoClassDefFoundError("writing: a class its bundle does not import");
        }
    }
}
