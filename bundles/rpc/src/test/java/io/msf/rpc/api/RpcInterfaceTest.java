package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.client.api.Address;
import io.msf.client.testing.InMemoryAgent;
import io.msf.rpc.api.Library.Track;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which interfaces can be called, and the commands their methods get. */
class RpcInterfaceTest {

    private static final Address AT = Address.name("test");
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @Test
    void theCommandIsTheDocumentedDigestOfTheSignature() throws Exception {
        // SHA-256("tracks()")[0..3] = 0x33 98 BB 07 and SHA-256("track(int)")[0..3] = 0xF8 EA 8F 9C, top bit cleared
        assertThat(Rpc.command(Library.class.getMethod("tracks"))).isEqualTo(865_595_655);
        assertThat(Rpc.command(Library.class.getMethod("track", int.class))).isEqualTo(2_028_649_884);
    }

    @Test
    void theReturnTypeIsNotPartOfTheCommand() throws Exception {
        assertThat(Rpc.command(Renamed.class.getMethod("tracks")))
                .isEqualTo(Rpc.command(Library.class.getMethod("tracks")));
    }

    /** tracks() again, with another return type. */
    public interface Renamed {
        String tracks();
    }

    @Test
    void onlyAbstractMethodsHaveCommands() throws Exception {
        assertThatThrownBy(() -> Rpc.command(Library.class.getMethod("trackCount")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a remote operation");
        assertThatThrownBy(() -> Rpc.command(Object.class.getMethod("toString")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoMethodsWithOneCommandAreRefusedOnBothSides() {
        // op71136() and op131859() both hash to command 1209128034
        assertThatThrownBy(() -> Rpc.proxy(new InMemoryAgent().client(TestAgents.CALLER_ID), AT, Clashing.class, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("op71136()").hasMessageContaining("op131859()")
                .hasMessageContaining("same RPC command 1209128034");
        assertThatThrownBy(() -> Rpc.handler(Clashing.class, new Clashing() {
            @Override
            public void op71136() {
            }

            @Override
            public void op131859() {
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same RPC command");
    }

    /** Two names whose commands collide. */
    public interface Clashing {
        void op71136();

        void op131859();
    }

    @Test
    void classesAndHiddenInterfacesAreRefused() {
        assertThatThrownBy(() -> Rpc.handler(InMemoryLibrary.class, new InMemoryLibrary()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not an interface");
        assertThatThrownBy(() -> Rpc.handler(Hidden.class, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not public");
    }

    interface Hidden {
        void run();
    }

    @Test
    void methodsInheritedFromAHiddenInterfaceAreRefusedOnBothSides() {
        // the handler could not call name(), the proxy could not run twice(): each call would fail
        assertThatThrownBy(() -> Rpc.handler(Visible.class, new Visible() {
            @Override
            public String name() {
                return "n";
            }

            @Override
            public int number() {
                return 1;
            }
        })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Visible.class.getName() + ": name() comes from " + HiddenBase.class.getName()
                        + ", which is not public");
        assertThatThrownBy(() -> Rpc.proxy(new InMemoryAgent().client(TestAgents.CALLER_ID), AT, Visible.class, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("which is not public");
        assertThatThrownBy(() -> Rpc.proxy(new InMemoryAgent().client(TestAgents.CALLER_ID), AT, VisibleDefaults.class,
                TIMEOUT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice() comes from " + HiddenDefaults.class.getName());
    }

    /** Its methods are inherited by a public interface, but the RPC bundle cannot call them. */
    interface HiddenBase {
        String name();
    }

    /** Public, with a method of a hidden interface. */
    public interface Visible extends HiddenBase {
        int number();
    }

    /** A default method the proxy could not run. */
    interface HiddenDefaults {
        String name();

        default String twice() {
            return name() + name();
        }
    }

    /** Public, with a default method of a hidden interface (and redeclaring its remote one). */
    public interface VisibleDefaults extends HiddenDefaults {
        @Override
        String name();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Test
    void anImplementationOfAnotherInterfaceIsRefused() {
        Class raw = Library.class;

        assertThatThrownBy(() -> Rpc.handler(raw, new Object()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not implement");
    }

    @Test
    void aRedeclaredMethodIsOneOperationAndARedeclaredObjectMethodStaysLocal() {
        Derived impl = new Derived() {
            @Override
            public List<String> names() {
                return List.of("a", "b");
            }

            @Override
            public String toString() {
                return "remote";
            }
        };
        try (InMemoryAgent agent = TestAgents.serving(AT, Rpc.handler(Derived.class, impl))) {
            Derived proxy = Rpc.proxy(TestAgents.caller(agent), AT, Derived.class, TIMEOUT);

            assertThat(proxy.names()).containsExactly("a", "b");
            assertThat(((Base) proxy).names()).containsExactly("a", "b");
            assertThat(proxy.toString()).startsWith("RPC proxy of");
            assertThat(agent.replyCount()).isEqualTo(2);
        }
    }

    @Test
    void aMethodInheritedWithTwoReturnTypesIsDecodedByTheNarrowerWhicheverInterfaceComesFirst() {
        Track track = new Track(1, "So What", "Miles Davis", 562);
        Both impl = () -> track;
        try (InMemoryAgent agent = TestAgents.serving(AT, Rpc.handler(Both.class, impl))) {
            Both proxy = Rpc.proxy(TestAgents.caller(agent), AT, Both.class, TIMEOUT);

            assertThat(proxy.item()).isEqualTo(track);
            assertThat(((Loose) proxy).item()).isEqualTo(track);
        }
    }

    /** item() as an Object. */
    public interface Loose {
        Object item();
    }

    /** item() as a Track. */
    public interface Strict {
        Track item();
    }

    /** Inherits item() from both, the wider first (Class.getMethods() lists it first). */
    public interface Both extends Loose, Strict {
    }

    /** A base interface. */
    public interface Base {
        Collection<String> names();
    }

    /** Narrows names() and redeclares toString(). */
    public interface Derived extends Base {
        @Override
        List<String> names();

        @Override
        String toString();
    }
}
