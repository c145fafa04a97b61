package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

/** How the gate finds and runs the check a bundle names in its Msf-Config-Check header. */
class OwnCheckTest {

    /** A check as a bundle would have it: refuses any value 'bad'. */
    public static final class RefusesBad implements BiFunction<String, Map<String, Object>, Map<String, String>> {
        @Override
        public Map<String, String> apply(String pid, Map<String, Object> values) {
            return "bad".equals(values.get("key")) ? Map.of("key", "bad in " + pid) : Map.of();
        }
    }

    /** A check that fails on its own. */
    public static final class Throws implements BiFunction<String, Map<String, Object>, Map<String, String>> {
        @Override
        public Map<String, String> apply(String pid, Map<String, Object> values) {
            throw new IllegalStateException("a bug of the bundle's");
        }
    }

    @Test
    void theCheckNamedForThePidIsRun() {
        Bundle bundle = bundle("msf.other=" + Throws.class.getName() + " , msf.mine = " + RefusesBad.class.getName());

        assertThat(OwnCheck.of(bundle, "msf.mine").problems("msf.mine~a", Map.of("key", "bad")))
                .containsExactly(Map.entry("key", "bad in msf.mine~a"));
        assertThat(OwnCheck.of(bundle, "msf.mine").problems("msf.mine~a", Map.of("key", "good"))).isEmpty();
        assertThat(OwnCheck.of(bundle, "msf.none")).isSameAs(OwnCheck.NONE);
        assertThat(OwnCheck.of(bundle(null), "msf.mine")).isSameAs(OwnCheck.NONE);
    }

    /** The component checks the values again when it gets them: a check that cannot run refuses nothing. */
    @Test
    void aCheckThatFailsOrCannotBeLoadedFindsNothing() {
        assertThat(OwnCheck.of(bundle("msf.mine=" + Throws.class.getName()), "msf.mine")
                .problems("msf.mine", Map.of("key", "bad"))).isEmpty();
        assertThat(OwnCheck.of(bundle("msf.mine=no.such.Check"), "msf.mine")
                .problems("msf.mine", Map.of("key", "bad"))).isEmpty();
        assertThat(OwnCheck.of(bundle("msf.mine=" + String.class.getName()), "msf.mine")
                .problems("msf.mine", Map.of("key", "bad"))).isEmpty();
    }

    private static Bundle bundle(String header) {
        Dictionary<String, String> headers = new Hashtable<>();
        if (header != null) {
            headers.put(OwnCheck.HEADER, header);
        }
        return (Bundle) Proxy.newProxyInstance(OwnCheckTest.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeaders" -> headers;
                    case "loadClass" -> Class.forName((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
