package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import org.junit.jupiter.api.Test;

/**
 * The one comparison of configuration values, where the three copies it replaces could have
 * parted: values of the kinds Config Admin holds (arrays, lists, boxed numbers, text), and what is
 * a mark rather than a value.
 */
class ConfigValuesTest {

    private static boolean same(Object a, Object b) {
        return ConfigValues.same(Map.of("k", a), Map.of("k", b));
    }

    @Test
    void arraysCompareByContentAsConfigAdminHandsOutNewOnes() {
        assertThat(same(new String[] {"a", "b"}, new String[] {"a", "b"})).isTrue();
        assertThat(same(new int[] {1, 2}, new int[] {1, 2})).isTrue();
        assertThat(same(new String[] {"a", "b"}, new String[] {"b", "a"})).isFalse();
    }

    @Test
    void theTypeOfAValueIsPartOfIt() {
        assertThat(same("8", 8)).as("a .cfg file's text and a typed value").isFalse();
        assertThat(same(8, 8L)).as("I\"8\" of a .config file and a JSON number").isFalse();
        assertThat(same(new int[] {8}, new Integer[] {8})).as("primitive and boxed arrays").isFalse();
        assertThat(same(new String[] {"a"}, List.of("a"))).as("an array and a list").isFalse();
    }

    @Test
    void listsCompareByContentWhateverTheirClass() {
        assertThat(same(new Vector<>(List.of("a", "b")), new ArrayList<>(List.of("a", "b")))).isTrue();
    }

    @Test
    void aKeyMissingOnEitherSideIsADifference() {
        assertThat(ConfigValues.same(Map.of("a", "1"), Map.of("a", "1", "b", "2"))).isFalse();
        assertThat(ConfigValues.same(Map.of("a", "1", "b", "2"), Map.of("a", "1"))).isFalse();
    }

    @Test
    void configAdminsAndFileInstallsMarksAreNotTheConfigurationsOwn() {
        Hashtable<String, Object> properties = new Hashtable<>(Map.of("service.pid", "msf.log",
                "service.factoryPid", "msf.log", "felix.fileinstall.filename", "file:/etc/msf.log.cfg",
                "level", "INFO", "service.ranking", 5, JsonServiceFiles.MARK, "file:/etc/media.json"));

        assertThat(ConfigValues.own(properties)).as("a key starting with service. is a value unless Config Admin's")
                .containsOnly(Map.entry("level", "INFO"), Map.entry("service.ranking", 5),
                        Map.entry(JsonServiceFiles.MARK, "file:/etc/media.json"));
    }
}
