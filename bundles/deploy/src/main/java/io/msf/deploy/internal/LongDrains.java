package io.msf.deploy.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.osgi.service.log.Logger;

/**
 * Says, when a service is configured, that its {@code drainTimeoutMillis} reaches the launcher's
 * {@code msf.stop.timeout}: a SIGTERM or {@code bin/msf stop} would end the process before that
 * service's drain, and the operator would learn it only from a WARN at the stop, when it is too late
 * to change either. Once per service and value; nothing without a launcher's limit (embedded).
 * Used on the deployer's one worker thread.
 */
final class LongDrains {

    private final Duration stopTimeout;
    private final Logger log;
    /** The drains told of, by service, so that every pass does not say it again. */
    private final Map<String, Duration> told = new HashMap<>();

    /** @param stopTimeout {@value StopDrain#STOP_TIMEOUT} as the launcher has it, null if it has none */
    LongDrains(Duration stopTimeout, Logger log) {
        this.stopTimeout = stopTimeout;
        this.log = log;
    }

    /** Looks at what the configurations ask, and returns it as it was. */
    Map<String, Desired> check(Map<String, Desired> desired) {
        if (stopTimeout == null) {
            return desired;
        }
        told.keySet().retainAll(desired.keySet());
        desired.forEach((name, wanted) -> {
            // a disabled service runs nothing for a stop to drain
            Duration drain = wanted.spec() == null || !wanted.spec().enabled() ? null : wanted.spec().drainTimeout();
            if (drain == null || drain.compareTo(stopTimeout) < 0) {
                told.remove(name);
            } else if (!drain.equals(told.put(name, drain))) {
                log.warn("{}: drainTimeoutMillis={} reaches {} = {} s: a stop by SIGTERM or bin/msf stop ends the"
                        + " process before this service has drained; set {} above the longest drainTimeoutMillis and"
                        + " the time the bundles take to stop (etc/config.properties)", name, drain.toMillis(),
                        StopDrain.STOP_TIMEOUT, stopTimeout.toSeconds(), StopDrain.STOP_TIMEOUT);
            }
        });
        return desired;
    }
}
