package io.msf.upnp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * upnp's parameters (the {@code param.*} keys of its {@code msf.service~upnp.cfg}). To stop the
 * service, the deployment's own {@code enabled = false} uninstalls it: there is no second switch here
 * ({@link #enabled} is accepted, and ignored, for the configurations written when there was one).
 */
@ObjectClassDefinition(
        name = "msf demo: upnp",
        description = "The demo service upnp (as libmsf's msf_upnp): asks dlna for its state at start"
                + " (synchronous GET, retried until dlna answers), then every interval sets and reads dlna's"
                + " state asynchronously and calls dlna's MediaLibrary over RPC. A change restarts it.")
@interface UpnpConfiguration {

    // The bounds of the Metatype, checked again past the config gate (UpnpService): one place for both.
    int MIN_INTERVAL_MILLIS = 100;
    int MAX_INTERVAL_MILLIS = 3_600_000;
    int MIN_TIMEOUT_MILLIS = 100;
    int MAX_TIMEOUT_MILLIS = 600_000;
    int MIN_SUMMARY_MILLIS = 0;
    int MAX_SUMMARY_MILLIS = 3_600_000;

    @AttributeDefinition(
            name = "Interval (ms)",
            description = "Time between two rounds with dlna (RPC MediaLibrary.track, SET, GET), and between"
                    + " two attempts to reach dlna at start.",
            min = "" + MIN_INTERVAL_MILLIS, max = "" + MAX_INTERVAL_MILLIS)
    int intervalMillis() default 2000;

    @AttributeDefinition(
            name = "Timeout (ms)",
            description = "How long each request and RPC call to dlna waits for its reply.",
            min = "" + MIN_TIMEOUT_MILLIS, max = "" + MAX_TIMEOUT_MILLIS)
    int timeoutMillis() default 5000;

    @AttributeDefinition(
            name = "Summary interval (ms)",
            description = "How often upnp logs one INFO line summing up its exchanges (each exchange is"
                    + " logged at DEBUG, the first of each kind at INFO); 0: no summary.",
            min = "" + MIN_SUMMARY_MILLIS, max = "" + MAX_SUMMARY_MILLIS)
    int summaryMillis() default 10_000;

    /**
     * Kept so that older configurations ({@code param.enabled = true} in {@code msf.service~upnp.cfg})
     * still pass the config gate, which refuses keys it does not know; ignored, with a WARN when false.
     */
    @AttributeDefinition(
            name = "Enabled (no longer used)",
            description = "No longer used: ignored (a false value is logged at WARN). To stop upnp, set the"
                    + " deployment's own enabled = false in msf.service~upnp.cfg, which uninstalls it.")
    boolean enabled() default true;
}
