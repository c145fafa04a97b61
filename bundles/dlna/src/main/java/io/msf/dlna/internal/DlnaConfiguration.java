package io.msf.dlna.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "msf demo: dlna",
        description = "The demo service dlna (as libmsf's msf_dlna): answers GET and SET on its state,"
                + " announces each change to upnp and on the topic dlna.state.changed, and serves the"
                + " MediaLibrary over RPC as dlna.library. A change restarts it.")
@interface DlnaConfiguration {

    @AttributeDefinition(
            name = "Enabled",
            description = "When false, dlna and dlna.library answer every request with NO_HANDLER and"
                    + " announce nothing.")
    boolean enabled() default true;

    @AttributeDefinition(
            name = "Summary interval (ms)",
            description = "How often dlna logs one INFO line summing up its exchanges (each exchange is"
                    + " logged at DEBUG, the first of each kind at INFO); 0: no summary.",
            min = "0", max = "3600000")
    int summaryMillis() default 10_000;
}
