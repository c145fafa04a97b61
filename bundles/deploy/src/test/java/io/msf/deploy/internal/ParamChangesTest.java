package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log line of a live parameter change names what changed, not every parameter of the service. */
class ParamChangesTest {

    @Test
    void onlyTheKeysWhoseValueChangedAreNamedWithTheirValuesBeforeAndAfter() {
        assertThat(ParamChanges.describe(Map.of("a", "1", "b", "2", "c", "3"), Map.of("a", "1", "b", "5", "c", "3")))
                .isEqualTo("b: 2 -> 5");
    }

    @Test
    void aKeyAddedOrRemovedIsAChangeFromOrToNone() {
        assertThat(ParamChanges.describe(Map.of("a", "1", "gone", "x"), Map.of("a", "1", "new", "y")))
                .isEqualTo("gone: x -> (none), new: (none) -> y");
    }

    @Test
    void arraysAreComparedAndShownByContent() {
        assertThat(ParamChanges.describe(Map.of("hosts", new String[] {"a", "b"}, "ports", new int[] {1, 2}),
                Map.of("hosts", new String[] {"a", "b"}, "ports", new int[] {1, 3})))
                .isEqualTo("ports: [1, 2] -> [1, 3]");
    }

    @Test
    void theValuesOfAKeyNamedLikeASecretAreNotShown() {
        assertThat(ParamChanges.describe(Map.of("dbPassword", "old", "apiToken", "t1"),
                Map.of("dbPassword", "new", "apiToken", "t1", "clientSecret", "s")))
                .isEqualTo("clientSecret: (none) -> (hidden), dbPassword: (hidden) -> (hidden)");
    }

    @Test
    void nothingChangedIsEmpty() {
        assertThat(ParamChanges.describe(Map.of("a", "1"), Map.of("a", "1"))).isEmpty();
    }
}
