package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PropertySubstitutionTest {

    private static final Function<String, String> NO_FALLBACK = name -> null;

    @Test
    void replacesReferencesToOtherKeysInAnyOrder() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("cache", "${msf.data}/cache");
        raw.put("msf.data", "${msf.home}/data");
        raw.put("msf.home", "/opt/msf");

        Map<String, String> resolved = PropertySubstitution.resolveAll(raw, NO_FALLBACK);

        assertThat(resolved).containsExactly(
                Map.entry("cache", "/opt/msf/data/cache"),
                Map.entry("msf.data", "/opt/msf/data"),
                Map.entry("msf.home", "/opt/msf"));
    }

    @Test
    void fallsBackForNamesNotInTheMap() {
        Map<String, String> resolved = PropertySubstitution.resolveAll(
                Map.of("history", "${user.home}/.history"), Map.of("user.home", "/home/ana")::get);

        assertThat(resolved).containsEntry("history", "/home/ana/.history");
    }

    @Test
    void theMapWinsOverTheFallback() {
        Map<String, String> resolved = PropertySubstitution.resolveAll(
                Map.of("a", "${b}", "b", "from map"), Map.of("b", "from fallback")::get);

        assertThat(resolved).containsEntry("a", "from map");
    }

    @Test
    void resolvesNestedReferencesInnermostFirst() {
        Map<String, String> resolved = PropertySubstitution.resolveAll(
                Map.of("mode", "fast", "opts.fast", "-Xint", "opts", "${opts.${mode}}"), NO_FALLBACK);

        assertThat(resolved).containsEntry("opts", "-Xint");
    }

    @Test
    void keepsValuesWithoutReferencesAndLoneDollarSigns() {
        Map<String, String> resolved = PropertySubstitution.resolveAll(
                Map.of("filter", ".*\\.(cfg|config|json)", "price", "$5 {each}"), NO_FALLBACK);

        assertThat(resolved).containsEntry("filter", ".*\\.(cfg|config|json)").containsEntry("price", "$5 {each}");
    }

    @Test
    void anUndefinedNameIsAnErrorNamingKeyAndReference() {
        assertThatThrownBy(() -> PropertySubstitution.resolveAll(Map.of("storage", "${msf.dta}/cache"), NO_FALLBACK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'storage'")
                .hasMessageContaining("${msf.dta}");
    }

    @Test
    void aCycleIsAnErrorShowingThePath() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("a", "${b}");
        raw.put("b", "x${a}");

        assertThatThrownBy(() -> PropertySubstitution.resolveAll(raw, NO_FALLBACK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a -> b -> a");
    }

    @Test
    void anUnclosedReferenceIsAnError() {
        assertThatThrownBy(() -> PropertySubstitution.resolveAll(Map.of("dir", "${msf.home/etc"), NO_FALLBACK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'dir'")
                .hasMessageContaining("unclosed");
    }
}
