package io.msf.mempool.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "msf memory pool",
        description = "Limits on the pooled buffer memory each bundle may hold, and how many leak reports to keep.")
@interface MemoryPoolConfiguration {

    @AttributeDefinition(name = "Default limit",
            description = "Bytes of pooled buffers any bundle may hold unless bundleLimits names it; 0 for no"
                    + " limit. A whole number, optionally followed by B, KiB, MiB, GiB or TiB, e.g. 64MiB.")
    String defaultLimit() default "0";

    @AttributeDefinition(name = "Per-bundle limits",
            description = "Comma-separated symbolic.name=size entries that override the default limit, e.g."
                    + " 'io.msf.demo.echo=64MiB, io.msf.net=256MiB'; a size of 0 means no limit for that bundle.")
    String bundleLimits() default "";

    @AttributeDefinition(name = "Leak reports kept",
            description = "How many reports of buffers left unreleased by stopped bundles to keep, newest first.",
            min = "0", max = "10000")
    int leakReportsKept() default 100;
}
