package io.msf.config.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "msf configuration gate",
        description = "Checks each msf.* configuration file in etc/ against the Metatype description of its"
                + " PID before FileInstall hands it to Config Admin. A file with an unknown key, a wrong type"
                + " or a bad value is rejected, with an error naming file, line and key; the configuration"
                + " before it stays in force.")
@interface GateConfiguration {

    @AttributeDefinition(name = "Enabled",
            description = "Check files; false = hand every file to FileInstall unchecked.")
    boolean enabled() default true;
}
