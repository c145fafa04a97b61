package io.msf.monitor.internal.alert;

import java.time.Instant;

/**
 * An open alert.
 *
 * @param kind what it is about
 * @param subject who: a service's name, {@code process}, or a thread group, {@code threads msf-worker}
 * @param value the figure at the last sample
 * @param threshold the threshold it crossed
 * @param since when it was raised
 */
public record Alert(AlertKind kind, String subject, double value, double threshold, Instant since) {

    Alert withValue(double latest) {
        return new Alert(kind, subject, latest, threshold, since);
    }

    Alert withThreshold(double current) {
        return new Alert(kind, subject, value, current, since);
    }

    /** One line for people: {@code memory io.x.y: 1.5 MiB over 1.0 MiB since 2026-...}. */
    public String describe() {
        return kind.token() + " " + subject + ": " + kind.format(value) + " (threshold " + kind.format(threshold)
                + ") since " + since;
    }
}
