package io.msf.launcher;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Replaces {@code ${name}} references in property values, the way Felix's own config.properties
 * does, but strictly: a reference to an unknown name or a cycle is an error that names the key,
 * because a silently empty path (say {@code ${msf.data}/cache} turning into {@code /cache}) is far
 * worse than a launcher that refuses to start.
 *
 * <p>Names are looked up first among the properties being resolved (so one key can build on
 * another, in any order), then in {@code fallback} (the launcher passes the system properties).
 * References may nest: {@code ${a.${b}}} resolves {@code b} first. A literal {@code $} that is not
 * followed by {@code &#123;} stays as it is.
 */
final class PropertySubstitution {

    private final Map<String, String> raw;
    private final Function<String, String> fallback;
    private final Map<String, String> resolved = new HashMap<>();
    private final Deque<String> inProgress = new ArrayDeque<>();

    /** A value that cannot be resolved; {@link #key} is the property whose value it is. */
    static final class Unresolvable extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final String key;

        Unresolvable(String key, String message) {
            super(message);
            this.key = key;
        }

        /** The property whose value holds the reference, for an error that names where that value came from. */
        String key() {
            return key;
        }
    }

    private PropertySubstitution(Map<String, String> raw, Function<String, String> fallback) {
        this.raw = raw;
        this.fallback = fallback;
    }

    /**
     * Resolves every value of {@code properties}.
     *
     * @return a new map, same keys and iteration order, all references replaced
     * @throws Unresolvable naming the key and the reference that cannot be resolved
     */
    static Map<String, String> resolveAll(Map<String, String> properties, Function<String, String> fallback) {
        PropertySubstitution substitution = new PropertySubstitution(properties, fallback);
        Map<String, String> result = new LinkedHashMap<>();
        properties.keySet().forEach(key -> result.put(key, substitution.resolveKey(key)));
        return result;
    }

    private String resolveKey(String key) {
        String done = resolved.get(key);
        if (done != null) {
            return done;
        }
        if (inProgress.contains(key)) {
            throw new Unresolvable(key, "property '" + key + "' refers to itself: "
                    + String.join(" -> ", inProgress) + " -> " + key);
        }
        inProgress.addLast(key);
        String value = substitute(raw.get(key), key);
        inProgress.removeLast();
        resolved.put(key, value);
        return value;
    }

    private String substitute(String value, String key) {
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            if (start < 0) {
                out.append(value, i, value.length());
                break;
            }
            out.append(value, i, start);
            int end = matchingBrace(value, start + 2, key);
            String name = substitute(value.substring(start + 2, end), key);
            out.append(lookup(name, key));
            i = end + 1;
        }
        return out.toString();
    }

    private String lookup(String name, String key) {
        if (raw.containsKey(name)) {
            return resolveKey(name);
        }
        String external = fallback.apply(name);
        if (external == null) {
            throw new Unresolvable(key, "property '" + key + "' refers to ${" + name + "}, which is not defined");
        }
        return external;
    }

    private static int matchingBrace(String value, int from, String key) {
        int depth = 1;
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '{' && value.charAt(i - 1) == '$') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new Unresolvable(key, "property '" + key + "' has an unclosed ${ in: " + value);
    }
}
