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

    /**
     * Whether a run that ended, as a failure or not, is restarted: a non-zero exit code is one (a signal
     * gives 128+signal), and so is a run stopped for not being ready in time.
     */
    boolean restarts(boolean failure) {
        return this == ALWAYS || (this == ON_FAILURE && failure);
    }
}
