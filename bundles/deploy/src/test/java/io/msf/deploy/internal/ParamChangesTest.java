package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The log line of a live parameter change names what changed, not every parameter of the service. */
class ParamChangesTest {

    @Test
    void onlyTheKeysWhoseValueChangedAreNamedWithTheirValuesBeforeAndAfter() {
        assertThat(ParamChanges.describe(Map.of("a", "1", "b", "2", "c", "3"), Map.of("a", "1", "b", "5", "c", "3"),
                Set.of()))
                .isEqualTo("b: 2 -> 5");
    }

    @Test
    void aKeyAddedOrRemovedIsAChangeFromOrToNone() {
        assertThat(ParamChanges.describe(Map.of("a", "1", "gone", "x"), Map.of("a", "1", "new", "y"), Set.of()))
                .isEqualTo("gone: x -> (none), new: (none) -> y");
    }

    @Test
    void arraysAreComparedAndShownByContent() {
        assertThat(ParamChanges.describe(Map.of("hosts", new String[] {"a", "b"}, "ports", new int[] {1, 2}),
                Map.of("hosts", new String[] {"a", "b"}, "ports", new int[] {1, 3}), Set.of()))
                .isEqualTo("ports: [1, 2] -> [1, 3]");
    }

    @Test
    void theValuesOfAKeyNamedLikeASecretAreNotShown() {
        assertThat(ParamChanges.describe(Map.of("dbPassword", "old", "apiToken", "t1"),
                Map.of("dbPassword", "new", "apiToken", "t1", "clientSecret", "s"), Set.of()))
                .isEqualTo("clientSecret: (none) -> (hidden), dbPassword: (hidden) -> (hidden)");
    }

    /** Before, a key typed PASSWORD was shown unless its name said it was a secret. */
    @Test
    void theValuesOfAKeyTypedPasswordAreNotShown() {
        assertThat(ParamChanges.describe(Map.of("pin", "1234", "label", "a"), Map.of("pin", "5678", "label", "b"),
                Set.of("pin"))).isEqualTo("label: a -> b, pin: (hidden) -> (hidden)");
        assertThat(ParamChanges.describe(Map.of(), Map.of("pin", "1234"), Set.of("pin")))
                .isEqualTo("pin: (none) -> (hidden)");
    }

    @Test
    void nothingChangedIsEmpty() {
        assertThat(ParamChanges.describe(Map.of("a", "1"), Map.of("a", "1"), Set.of())).isEmpty();
    }
}
