package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * What a tool that sees only a request's command needs: the operations of an interface by command.
 * Mapping getMethods() through {@link Rpc#command(Method)} threw for a default or static method and
 * for a method inherited with a type variable.
 */
class RpcOperationsTest {

    /** A generic super-interface. */
    public interface Repository<T, K> {
        T get(K id);

        CompletionStage<List<T>> all();
    }

    /** Given types, with a default and a static method that are not remote. */
    public interface Tracks extends Repository<String, Integer> {
        int count();

        default String first() {
            return get(1);
        }

        static Tracks none() {
            return null;
        }
    }

    @Test
    void theRemoteOperationsByCommandWithTheirInheritedTypes() throws Exception {
        Map<Integer, Method> operations = Rpc.operations(Tracks.class);

        Method get = Repository.class.getMethod("get", Object.class);
        assertThat(operations).containsOnlyKeys(Rpc.command(Tracks.class, get),
                Rpc.command(Tracks.class, Repository.class.getMethod("all")),
                Rpc.command(Tracks.class, Tracks.class.getMethod("count")));
        assertThat(operations.get(Rpc.command(Tracks.class, get))).isEqualTo(get);
        assertThatThrownBy(() -> operations.put(1, get)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anInterfaceRpcRefusesIsRefusedAsByProxy() {
        assertThatThrownBy(() -> Rpc.operations(Repository.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is generic");
    }
}
