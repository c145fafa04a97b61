package io.msf.config.api;

import java.time.Instant;

/**
 * Why a configuration file was rejected.
 *
 * @param file the file's path
 * @param pid the PID the file configures; for a factory configuration {@code factoryPid~name}
 * @param key the offending key, or the empty string if the file as a whole is unreadable
 * @param line the key's line in the file, 0 when unknown
 * @param reason what is wrong, in words an operator can act on
 * @param at when the file was rejected
 */
public record ConfigProblem(String file, String pid, String key, int line, String reason, Instant at) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + (key.isEmpty() ? "" : "key '" + key + "': ") + reason;
    }
}
