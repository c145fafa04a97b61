package io.msf.deploy.internal;

import java.time.Duration;
import org.osgi.service.log.Logger;

/**
 * How long the deployer waits for a service bundle's stop (its activator's stop, its components'
 * deactivation), and for a refresh, before it goes on without it: the framework property
 * {@value #PROPERTY}, in seconds (etc/config.properties). A stop that has not returned by then is
 * left to end on its own thread and the bundle removed once it does; meanwhile the deployer deploys
 * the other services.
 */
final class StopLimit {

    static final String PROPERTY = "msf.deploy.stopLimit";
    static final Duration DEFAULT = Duration.ofSeconds(30);

    private StopLimit() {
    }

    /** The limit {@code value} gives; the default, with a WARN naming the property, for one that is not a number of seconds. */
    static Duration of(String value, Logger log) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds > 0 && seconds <= 3600) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException notANumber) {
            // told below, as a value out of range is
        }
        log.warn("{} = '{}' is not a whole number of seconds from 1 to 3600; the deployer waits {} s for a stop",
                PROPERTY, value, DEFAULT.toSeconds());
        return DEFAULT;
    }
}
