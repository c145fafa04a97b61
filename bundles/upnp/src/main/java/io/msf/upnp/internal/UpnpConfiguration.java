package io.msf.upnp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "msf demo: upnp",
        description = "The demo service upnp (as libmsf's msf_upnp): asks dlna for its state at start"
                + " (synchronous GET, retried until dlna answers), then every interval sets and reads dlna's"
                + " state asynchronously and calls dlna's MediaLibrary over RPC. A change restarts it.")
@interface UpnpConfiguration {

    @AttributeDefinition(
            name = "Enabled",
            description = "When false, upnp does not talk to dlna (it still answers its STATUS command).")
    boolean enabled() default true;

    @AttributeDefinition(
            name = "Interval (ms)",
            description = "Time between two rounds with dlna (RPC MediaLibrary.track, SET, GET), and between"
                    + " two attempts to reach dlna at start.",
            min = "100", max = "3600000")
    int intervalMillis() default 2000;

    @AttributeDefinition(
            name = "Timeout (ms)",
            description = "How long each request and RPC call to dlna waits for its reply.",
            min = "100", max = "600000")
    int timeoutMillis() default 5000;

    @AttributeDefinition(
            name = "Summary interval (ms)",
            description = "How often upnp logs one INFO line summing up its exchanges (each exchange is"
                    + " logged at DEBUG, the first of each kind at INFO); 0: no summary.",
            min = "0", max = "3600000")
    int summaryMillis() default 10_000;
}
