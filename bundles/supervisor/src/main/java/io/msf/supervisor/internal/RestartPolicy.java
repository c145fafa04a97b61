package io.msf.supervisor.internal;

import java.util.Locale;

/** When an ended process is started again (key {@code restart}). */
enum RestartPolicy {
    ALWAYS,
    ON_FAILURE,
    NEVER;

    /** {@code always}, {@code on-failure} or {@code never}. */
    static RestartPolicy parse(String value) {
        for (RestartPolicy policy : values()) {
            if (policy.key().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return policy;
            }
        }
        throw new IllegalArgumentException("restart: '" + value + "' is not always, on-failure or never");
    }

    String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether a run that ended with {@code exitCode} is restarted (a signal gives 128+signal: a failure). */
    boolean restarts(int exitCode) {
        return restartsAfter(exitCode != 0);
    }

    /** Whether a run that ended, as a failure or not, is restarted. */
    boolean restartsAfter(boolean failure) {
        return this == ALWAYS || (this == ON_FAILURE && failure);
    }
}
