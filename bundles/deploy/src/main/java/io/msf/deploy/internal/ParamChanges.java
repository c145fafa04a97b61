package io.msf.deploy.internal;

import io.msf.text.SecretNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a live parameter change changed, for its log line: the keys added, removed or given another
 * value, each with its value before and after ({@code key: old -> new}, {@code (none)} for a key
 * that was not there or is gone), in key order. A key whose value is unchanged is left out, so that
 * a change of one key of many names that one. Values are compared as {@link ParamValues#same} does
 * (arrays by content).
 *
 * <p>A password is named with {@code (hidden)} in place of its values, which are not repeated into the
 * log nor shown by {@code msf:param}: a key the Metatype description of the service's PID types PASSWORD
 * (the config gate knows it, and hides it in its own messages), and, as not every bundle describes its
 * keys so, one whose name says it is a secret ({@link SecretNames}, the rule the gate follows too).
 * Before, a PASSWORD key of another name ({@code pin}, {@code credentials}) was shown.
 */
final class ParamChanges {

    static final String HIDDEN = "(hidden)";
    private static final String NONE = "(none)";

    private ParamChanges() {
    }

    /**
     * The changed keys, {@code key: old -> new} separated by {@code ", "}; empty if no value changed.
     *
     * @param passwords the keys typed PASSWORD, hidden as those named like a secret are
     */
    static String describe(Map<String, ?> before, Map<String, ?> after, Set<String> passwords) {
        List<String> changes = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            boolean had = before.containsKey(key);
            boolean has = after.containsKey(key);
            if (had && has && Objects.deepEquals(before.get(key), after.get(key))) {
                continue;
            }
            changes.add(key + ": " + (had ? shown(key, before.get(key), passwords) : NONE) + " -> "
                    + (has ? shown(key, after.get(key), passwords) : NONE));
        }
        return String.join(", ", changes);
    }

    /** {@code value} as text ({@link #text}), or {@link #HIDDEN} for a password. */
    static String shown(String key, Object value, Set<String> passwords) {
        return passwords.contains(key) || SecretNames.namedAsSecret(key) ? HIDDEN : text(value);
    }

    /** A parameter's value as text: an array as its elements ({@code [a, b]}), not as Java names it. */
    static String text(Object value) {
        if (value != null && value.getClass().isArray()) {
            String wrapped = Arrays.deepToString(new Object[] {value}); // [[a, b]] for any array, int[] too
            return wrapped.substring(1, wrapped.length() - 1);
        }
        return String.valueOf(value);
    }
}
