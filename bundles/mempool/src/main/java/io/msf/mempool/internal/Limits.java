package io.msf.mempool.internal;

import java.util.Map;

/**
 * The limits in force: one for every bundle, and exceptions by symbolic name. 0 means no limit.
 *
 * @param defaultLimit bytes a bundle not named in {@code byBundle} may hold
 * @param byBundle bytes each named bundle may hold
 */
record Limits(long defaultLimit, Map<String, Long> byBundle) {

    static final Limits NONE = new Limits(0, Map.of());

    Limits {
        byBundle = Map.copyOf(byBundle);
    }

    long limitFor(String symbolicName) {
        return byBundle.getOrDefault(symbolicName, defaultLimit);
    }
}
