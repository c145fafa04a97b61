package io.msf.dlna.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * dlna's parameters (the {@code param.*} keys of its {@code msf.service~dlna.cfg}). To stop the
 * service, the deployment's own {@code enabled = false} uninstalls it: there is no second switch here
 * ({@link #enabled} is accepted, and ignored, for the configurations written when there was one).
 */
@ObjectClassDefinition(
        name = "msf demo: dlna",
        description = "The demo service dlna (as libmsf's msf_dlna): answers GET and SET on its state,"
                + " announces each change to upnp and on the topic dlna.state.changed, and serves the"
                + " MediaLibrary over RPC as dlna.library. A change restarts it.")
@interface DlnaConfiguration {

    /** The bounds of {@link #summaryMillis}: the Metatype's, and checked again past the config gate. */
    int MIN_SUMMARY_MILLIS = 0;
    int MAX_SUMMARY_MILLIS = 3_600_000;

    @AttributeDefinition(
            name = "Summary interval (ms)",
            description = "How often dlna logs one INFO line summing up its exchanges (each exchange is"
                    + " logged at DEBUG, the first of each kind at INFO); 0: no summary.",
            min = "" + MIN_SUMMARY_MILLIS, max = "" + MAX_SUMMARY_MILLIS)
    int summaryMillis() default 10_000;

    /**
     * Kept so that older configurations ({@code param.enabled = true} in {@code msf.service~dlna.cfg})
     * still pass the config gate, which refuses keys it does not know; ignored, with a WARN when false.
     */
    @AttributeDefinition(
            name = "Enabled (no longer used)",
            description = "No longer used: ignored (a false value is logged at WARN). To stop dlna, set the"
                    + " deployment's own enabled = false in msf.service~dlna.cfg, which uninstalls it.")
    boolean enabled() default true;
}
