package io.msf.config.internal;

import java.util.Collections;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.osgi.framework.Bundle;

/**
 * The checks a bundle makes of its configuration's values beyond what Metatype can say (the
 * syntax of a list inside one value, say), named in its manifest so that the gate makes them too:
 * {@code Msf-Config-Check: <pid>=<class>, ...}. The class is public, has a public constructor
 * without parameters and is a {@code BiFunction<String, Map<String, Object>, Map<String, String>>}:
 * given the configuration's PID ({@code factoryPid~name} for a factory one) and its values as the
 * file gives them, it returns what is wrong by key (an empty key: the file as a whole).
 *
 * <p>Without these, a value Metatype lets pass was refused by the component alone, which names
 * the PID but not the file and line, after the gate had said the file was applied; and the
 * configuration in force was the refused one. A manifest header, not a service: a bundle's class
 * can be loaded once it is resolved, before it is started (the supervisor starts after FileInstall's
 * first scan), and the bundle needs no package of this one.
 */
@FunctionalInterface
interface OwnCheck {

    String HEADER = "Msf-Config-Check";
    OwnCheck NONE = (pid, values) -> Map.of();

    /**
     * What the bundle finds wrong, by key; none if the bundle's check cannot be loaded or fails: its
     * component checks the values again when it gets them, and refuses them there.
     */
    Map<String, String> problems(String pid, Map<String, Object> values);

    /** The check {@code bundle} names for {@code pid} (a PID or factory PID), or {@link #NONE}. */
    static OwnCheck of(Bundle bundle, String pid) {
        Dictionary<String, String> headers;
        try {
            headers = bundle.getHeaders("");
        } catch (IllegalStateException e) {
            return NONE; // uninstalled meanwhile
        }
        String header = headers == null ? null : headers.get(HEADER);
        if (header == null) {
            return NONE;
        }
        for (String entry : header.split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0 && entry.substring(0, eq).strip().equals(pid)) {
                String className = entry.substring(eq + 1).strip();
                return (configurationPid, values) -> run(bundle, className, configurationPid, values);
            }
        }
        return NONE;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> run(Bundle bundle, String className, String pid, Map<String, Object> values) {
        try {
            Object check = bundle.loadClass(className).getConstructor().newInstance();
            Map<String, String> problems = ((BiFunction<String, Map<String, Object>, Map<String, String>>) check)
                    .apply(pid, Collections.unmodifiableMap(new LinkedHashMap<>(values)));
            return problems == null ? Map.of() : problems;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Map.of();
        }
    }
}
