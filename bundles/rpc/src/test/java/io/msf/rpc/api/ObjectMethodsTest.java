package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.client.api.Address;
import io.msf.client.testing.InMemoryAgent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Object's protected methods redeclared by an interface: a proxy would send them as calls, the
 * garbage collector's finalize() among them, so they are refused on both ends.
 */
class ObjectMethodsTest {

    private static final Address AT = Address.name("test");
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** finalize() as a proxy would otherwise have it: a call the garbage collector makes. */
    public interface Finalizing {
        void finalize();

        String name();
    }

    /** clone() made public, as Cloneable classes do. */
    public interface Copyable {
        Object clone();
    }

    /** The names are free for methods with other parameters. */
    public interface Overloaded {
        String clone(String prefix);

        void finalize(int code);
    }

    @Test
    void anInterfaceDeclaringFinalizeIsRefusedNamingItAndTheMethod() {
        assertThatThrownBy(() -> Rpc.proxy(new InMemoryAgent().client(TestAgents.CALLER_ID), AT, Finalizing.class,
                TIMEOUT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Finalizing.class.getName()).hasMessageContaining("finalize()")
                .hasMessageContaining("garbage collector");
        assertThatThrownBy(() -> Rpc.handler(Finalizing.class, new Finalizing() {
            @Override
            public void finalize() {
            }

            @Override
            public String name() {
                return "mine";
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finalize()");
    }

    @Test
    void anInterfaceDeclaringCloneIsRefusedNamingItAndTheMethod() {
        assertThatThrownBy(() -> Rpc.proxy(new InMemoryAgent().client(TestAgents.CALLER_ID), AT, Copyable.class,
                TIMEOUT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Copyable.class.getName()).hasMessageContaining("clone()");
        assertThatThrownBy(() -> Rpc.handler(Copyable.class, () -> "copy"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clone()");
    }

    @Test
    void objectsProtectedMethodsHaveNoCommand() throws Exception {
        assertThatThrownBy(() -> Rpc.command(Finalizing.class.getMethod("finalize")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a remote operation");
        assertThatThrownBy(() -> Rpc.command(Copyable.class.getMethod("clone")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a remote operation");
    }

    @Test
    void methodsOfTheSameNamesWithOtherParametersAreRemote() throws Exception {
        Rpc.proxy(new InMemoryAgent().client(TestAgents.CALLER_ID), AT, Overloaded.class, TIMEOUT);
        assertThat(Rpc.command(Overloaded.class.getMethod("clone", String.class))).isPositive();
        assertThat(Rpc.command(Overloaded.class.getMethod("finalize", int.class))).isPositive();
    }
}
