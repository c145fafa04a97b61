package io.msf.log.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.osgi.service.log.LogLevel;

/** The levels an operator names in {@code msf.log}; OFF has no OSGi counterpart and maps to AUDIT. */
enum Level {
    TRACE(LogLevel.TRACE),
    DEBUG(LogLevel.DEBUG),
    INFO(LogLevel.INFO),
    WARN(LogLevel.WARN),
    ERROR(LogLevel.ERROR),
    // AUDIT records are always logged by the OSGi Log Service, so AUDIT is the closest to "nothing".
    OFF(LogLevel.AUDIT);

    static final String NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));

    private final LogLevel osgi;

    Level(LogLevel osgi) {
        this.osgi = osgi;
    }

    LogLevel osgi() {
        return osgi;
    }

    /**
     * Parses a level name in any case.
     *
     * @throws IllegalArgumentException naming the value if it is not a level
     */
    static Level parse(String value) {
        String name = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        for (Level level : values()) {
            if (level.name().equals(name)) {
                return level;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a log level; use one of " + NAMES);
    }
}
