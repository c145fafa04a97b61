package io.msf.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a bundle's {@code Msf-Config-Check} finds wrong in a configuration file, key by key, each with
 * the reading the component itself makes of the key: the gate then refuses what the component would
 * refuse, and nothing else. A refusal is said without the "{@code <key>: }" the component's message
 * starts with, since the gate names the key itself, with the file and line.
 */
public final class KeyProblems {

    private final Map<String, String> problems = new LinkedHashMap<>();

    /**
     * Reads {@code key}'s value with {@code parse}; an IllegalArgumentException it throws is that key's
     * problem. Returns this, for the next key.
     */
    public KeyProblems check(String key, Runnable parse) {
        try {
            parse.run();
        } catch (IllegalArgumentException e) {
            problems.put(key, withoutKey(key, String.valueOf(e.getMessage())));
        }
        return this;
    }

    /** The problems, by key, in the order checked; empty if every value could be read. */
    public Map<String, String> found() {
        return Collections.unmodifiableMap(problems);
    }

    static String withoutKey(String key, String message) {
        String prefix = key + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
