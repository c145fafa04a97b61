package io.msf.config.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A configuration file as FileInstall hands it to Config Admin, with what is needed to tell an
 * operator where a problem is.
 *
 * @param values key to value after substitution of {@code ${...}}, as FileInstall reads them
 *     (all Strings in plain files; typed values in files that use the typed syntax throughout)
 * @param raw key to the value as written in the file, before substitution
 * @param lines key to the line it starts on, 0 where unknown (XML files)
 * @param unreadable keys whose value could not be read, with why
 * @param typedReadAsText keys of a .config file written typed and right, which FileInstall reads as
 *     text only because another line is not typed ({@link #unreadable} names that line): their values
 *     as read are no sign of what they will be once it is mended, so they are not checked as such
 */
record ParsedConfig(Map<String, Object> values, Map<String, String> raw, Map<String, Integer> lines,
        List<Unreadable> unreadable, Set<String> typedReadAsText) {

    ParsedConfig {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        raw = Map.copyOf(raw);
        lines = Map.copyOf(lines);
        unreadable = List.copyOf(unreadable);
        typedReadAsText = Set.copyOf(typedReadAsText);
    }

    ParsedConfig(Map<String, Object> values, Map<String, String> raw, Map<String, Integer> lines,
            List<Unreadable> unreadable) {
        this(values, raw, lines, unreadable, Set.of());
    }

    int line(String key) {
        return lines.getOrDefault(key, 0);
    }

    /** A key whose value the reader could not take. */
    record Unreadable(String key, String reason) {
    }
}
