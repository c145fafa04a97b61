package io.msf.config.internal;

import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a configuration says, and when two say the same: the one comparison of the gate and the
 * write-back, for a file's values and its configuration's, and for a {@code .json} file's services
 * and the configurations made from them.
 *
 * <p>Values compare as Config Admin keeps them, type included: {@code "8"} (a {@code .cfg} file's
 * text), {@code 8} ({@code I"8"} of a {@code .config} file) and {@code 8L} (a JSON number) are three
 * values, and a configuration that changes one into another has changed. Arrays compare by content:
 * Config Admin hands out a new array at every read. An array and a list never compare equal (they
 * are other types to Config Admin too); two lists do by content, whatever their classes.
 */
final class ConfigValues {

    /** Keys Config Admin and FileInstall add to a configuration: marks, never written into its file. */
    private static final List<String> MARKS = List.of("service.pid", "service.factoryPid", NamedFactoryConfigs.FILENAME);

    private ConfigValues() {
    }

    /** The properties of a configuration that belong in its file: all but Config Admin's and FileInstall's marks. */
    static Map<String, Object> own(Dictionary<String, ?> properties) {
        Map<String, Object> own = new LinkedHashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!MARKS.contains(key)) {
                own.put(key, properties.get(key));
            }
        }
        return own;
    }

    /** Whether the two hold the same keys with equal values, arrays compared by content. */
    static boolean same(Map<String, ?> a, Map<String, ?> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, ?> entry : a.entrySet()) {
            if (!Objects.deepEquals(entry.getValue(), b.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
