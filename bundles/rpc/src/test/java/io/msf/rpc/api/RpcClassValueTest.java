package io.msf.rpc.api;

import static io.msf.rpc.api.RefusedTypes.decodeFailure;
import static io.msf.rpc.api.RefusedTypes.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.client.testing.InMemoryAgent;
import io.msf.protocol.api.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A Class value travels as its name, and Jackson reads it by loading whatever class a peer names
 * (through the interface's class loader; through its own, which initialises it, if that one does not
 * have it) and hands it to the implementation: an interface that has one anywhere in its parameters
 * or results is refused when its proxy or handler is made, and a Class that the refusal cannot see (a
 * property only Jackson's annotations show) is refused when read, the class left alone.
 */
class RpcClassValueTest {

    private static final Address AT = Address.name("test.classes");
    private static final AtomicBoolean DETONATED = new AtomicBoolean();

    @Test
    void aClassParameterIsRefusedWhenTheHandlerOrTheProxyIsMade() {
        assertThatThrownBy(() -> Rpc.handler(Loader.class, type -> type.getName()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Loader.class.getName() + ": parameter 1 of Loader.load(Class) is a Class"
                        + " (java.lang.Class<?>)")
                .hasMessageContaining("would load any class a peer names");
        try (InMemoryAgent agent = new InMemoryAgent()) {
            assertThatThrownBy(() -> Rpc.proxy(TestAgents.caller(agent), AT, Loader.class, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("parameter 1 of Loader.load(Class) is a Class");
        }
    }

    @Test
    void aClassInsideARecordABeanACollectionOrAResultIsRefusedWithItsPath() {
        assertThat(refusal(ByQuery.class)).contains("parameter 1 of ByQuery.find(Query) has a Class at Query.type"
                + " (java.lang.Class<?>)");
        assertThat(refusal(ByFilters.class)).contains("parameter 1 of ByFilters.find(List) has a Class at"
                + " Filter.query.type (java.lang.Class<?>)");
        assertThat(refusal(ByKind.class)).contains("parameter 1 of ByKind.find(Kinded) has a Class at Kinded.kind"
                + " (java.lang.Class<? extends java.lang.Number>)");
        assertThat(refusal(Known.class)).contains("the result of Known.types() is a Class"
                + " (java.util.Map<java.lang.Class<?>, java.lang.String>)");
        assertThat(refusal(AsyncKnown.class)).contains("the result of AsyncKnown.types() is a Class"
                + " (java.lang.Class<?>[])");
        assertThat(refusal(ClassStore.class)).contains("parameter 1 of Store.put(Class) is a Class"
                + " (java.lang.Class<java.lang.Object>)");
    }

    @Test
    void aClassOnlyJacksonSeesIsRefusedWhenReadAndNeverLoaded() throws Exception {
        MessageHandler handler = Rpc.handler(Hidden.class, new Hidden() {
            @Override
            public String open(Box box) {
                return "opened";
            }

            @Override
            public int count(Keys keys) {
                return 0;
            }
        });
        int open = Rpc.command(Hidden.class.getMethod("open", Box.class));

        AgentException refused = decodeFailure(handler, AT.name(), open,
                List.of(Map.of("type", Detonator.class.getName())));

        assertThat(refused.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
        assertThat(refused).hasMessageContaining("cannot decode the arguments of Hidden.open(Box)")
                .hasMessageContaining("a java.lang.Class is not read from a payload");
        assertThat(DETONATED).as("the class a peer named was initialised").isFalse();
        int count = Rpc.command(Hidden.class.getMethod("count", Keys.class));
        AgentException keyed = decodeFailure(handler, AT.name(), count,
                List.of(Map.of("counts", Map.of(Detonator.class.getName(), 1))));
        assertThat(keyed).hasMessageContaining("a java.lang.Class is not read from a payload");
        assertThat(DETONATED).isFalse();
        try (InMemoryAgent agent = TestAgents.serving(AT, handler)) {
            Hidden proxy = Rpc.proxy(TestAgents.caller(agent), AT, Hidden.class, Duration.ofSeconds(10));
            assertThat(proxy.open(new Box())).as("the handler still answers").isEqualTo("opened");
        }
    }

    /**
     * Notes that its static initialiser ran: what any class's could do when a peer names it. The note
     * is kept outside it, as reading a field of its own would initialise it.
     */
    public static final class Detonator {
        static {
            DETONATED.set(true);
        }
    }

    public interface Loader {
        String load(Class<?> type);
    }

    public record Query(String text, Class<?> type) {
    }

    public interface ByQuery {
        List<String> find(Query query);
    }

    public record Filter(String name, Query query) {
    }

    public interface ByFilters {
        List<String> find(List<Filter> filters);
    }

    /** A bean: its Class is a property by its getter and setter. */
    public static final class Kinded {
        private Class<? extends Number> kind;

        public Class<? extends Number> getKind() {
            return kind;
        }

        public void setKind(Class<? extends Number> kind) {
            this.kind = kind;
        }
    }

    public interface ByKind {
        List<String> find(Kinded kinded);
    }

    public interface Known {
        Map<Class<?>, String> types();
    }

    public interface AsyncKnown {
        CompletionStage<Class<?>[]> types();
    }

    public interface Store<T> {
        void put(T value);
    }

    /** Gives Store's type variable the type Class: the resolved type is checked, not only the declared one. */
    public interface ClassStore extends Store<Class<Object>> {
    }

    /** Its Class is a property only by Jackson's annotation: no getter or setter shows it. */
    public static final class Box {
        @JsonProperty
        private Class<?> type;
    }

    /** Its Class keys too. */
    public static final class Keys {
        @JsonProperty
        private Map<Class<?>, Integer> counts;
    }

    public interface Hidden {
        String open(Box box);

        int count(Keys keys);
    }
}
