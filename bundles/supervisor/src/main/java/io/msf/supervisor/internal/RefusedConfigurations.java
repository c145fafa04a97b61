package io.msf.supervisor.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The msf.process configurations refused before they gave a process, by the name they would give it,
 * with why. The gate lists what it refuses in config:rejected, but what depends on the machine (a
 * program that is not there, a folder missing) is refused only by the supervisor, in the log: a proc:
 * command naming such a process said "none is configured (a file etc/msf.process~web.cfg would make
 * one ...)" while that file was there, and pointed to config:rejected, which does not list it.
 */
final class RefusedConfigurations {

    private record Refusal(Object configuration, String reason) {
    }

    private final Map<String, Refusal> byName = new ConcurrentHashMap<>();

    /** {@code configuration} was refused for {@code reason} and gives no process of {@code name}. */
    void refused(Object configuration, String name, String reason) {
        forget(configuration);
        byName.put(name, new Refusal(configuration, reason));
    }

    /** {@code configuration} gives a process now, or was deleted. */
    void forget(Object configuration) {
        byName.values().removeIf(refusal -> refusal.configuration() == configuration);
    }

    /** Why the configuration that would give a process of {@code name} was refused, or null. */
    String reason(String name) {
        Refusal refusal = byName.get(name);
        return refusal == null ? null : refusal.reason();
    }
}
