package io.msf.log.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "msf log",
        description = "Where the container log goes (console, size-rotated file) and the log levels in force."
                + " The OSGi Log Service, SLF4J and java.util.logging all end up here.")
@interface LogConfiguration {

    // No Metatype options: they would be matched exactly, in capitals, where the log (Level.parse)
    // takes any case, as in bundleLevels; LogConfigCheck tells the config gate what the log takes.
    @AttributeDefinition(name = "Root level",
            description = "The level of every bundle that has none of its own in bundleLevels: TRACE, DEBUG,"
                    + " INFO, WARN, ERROR or OFF, in any case.")
    String level() default "INFO";

    @AttributeDefinition(name = "Bundle levels",
            description = "Levels of single bundles, comma separated: symbolic.name=LEVEL,other.name=LEVEL."
                    + " Records logged through SLF4J and java.util.logging (Netty) belong to io.msf.log.")
    String bundleLevels() default "";

    @AttributeDefinition(name = "Console", description = "Write each record to standard output too.")
    boolean console() default true;

    @AttributeDefinition(name = "Log file",
            description = "The file records are written to; empty = ${msf.data}/log/msf.log. New folders"
                    + " and the file are made readable by the owner only. Only a regular file: a symbolic"
                    + " link, a device or a fifo there is refused.")
    String file() default "";

    @AttributeDefinition(name = "File size limit (bytes)", min = "4096",
            description = "When the next record would take the file past this size, it is renamed to"
                    + " msf.log.1 (msf.log.1 to msf.log.2, ...) and a new file is started.")
    long maxFileBytes() default 10L * 1024 * 1024;

    @AttributeDefinition(name = "File count", min = "1", max = "100",
            description = "How many files are kept, the live one included; the oldest is deleted. Lowered,"
                    + " the older files numbered past it are deleted at the next rotation.")
    int maxFiles() default 5;

    @AttributeDefinition(name = "Tail size", min = "0", max = "100000",
            description = "How many of the last records are kept in memory for log:tail.")
    int tailSize() default 1000;

    @AttributeDefinition(name = "Write queue size", min = "64", max = "1048576",
            description = "Records waiting to be written, for the console and for the file each (each is"
                    + " written by a thread of its own, so that a console nobody reads holds up no record of"
                    + " the file); when full, further records are dropped there and counted in the log.")
    int queueSize() default 10000;
}
