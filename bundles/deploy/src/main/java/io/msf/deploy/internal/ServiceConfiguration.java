package io.msf.deploy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of a service configuration, {@code msf.service~<name>}. Besides these, keys named
 * {@code param.<key>} are the service's own parameters: the config gate checks them against the
 * Metatype of the PID named by {@code pid}, and the deployer copies them (prefix removed) into a
 * configuration of that PID targeted at each bundle of the version that reads them ({@link ParamConfigs}).
 */
@ObjectClassDefinition(factoryPid = ServiceSpecs.FACTORY_PID, name = "msf service",
        description = "One microservice: its bundles, version, start level and parameters. Creating the"
                + " configuration installs and starts the service; changing location or version hot-swaps it;"
                + " changing param.* keys reconfigures it live; deleting it or enabled=false uninstalls it.")
@interface ServiceConfiguration {

    @AttributeDefinition(name = "Location",
            description = "The service's bundle(s), comma-separated: mvn:group/artifact[/version], file:<path>,"
                    + " or a path inside the assembly's repository/ folder.")
    String location();

    @AttributeDefinition(name = "Version", required = false,
            description = "The bundle version: fetched for an mvn: location without a version, and required of"
                    + " the installed jar otherwise; empty = whatever the location holds.")
    String version() default "";

    @AttributeDefinition(name = "Start level", min = "1", max = "100", required = false,
            description = "The bundles' start level; 5 = after every bundle of the assembly.")
    int startLevel() default ServiceSpecs.DEFAULT_START_LEVEL;

    @AttributeDefinition(name = "Enabled", required = false,
            description = "false = stop and uninstall the service but keep its configuration.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Parameters PID", required = false,
            description = "The Config Admin PID whose configuration the service's components read (factoryPid~name"
                    + " for a factory configuration); each bundle of the service gets the param.* keys under this PID"
                    + " targeted at it (<pid>|<symbolic name>|<version>|<location>); empty = msf.service.<name>.")
    String pid() default "";

    @AttributeDefinition(name = "Health timeout (ms)", min = "1", max = "600000", required = false,
            description = "How long each bundle's start (its activator) may take, and then how long a new version"
                    + " may take to get its components active and its health checks passing; after that it is"
                    + " removed (a start that has not returned: once it returns) and the running version keeps"
                    + " serving. Also how long a"
                    + " running version's components may take over a live change of param.* keys, after which it"
                    + " is given back the parameters it had.")
    long healthTimeoutMillis() default ServiceSpecs.DEFAULT_HEALTH_TIMEOUT_MILLIS;

    @AttributeDefinition(name = "Drain timeout (ms)", min = "0", max = "600000", required = false,
            description = "How long the old version may take to answer the requests it already has once the new"
                    + " one serves, and the service the requests it has when it is undeployed or disabled, or"
                    + " when the container stops (all services together, before any bundle stops; keep"
                    + " msf.stop.timeout above the longest); after that it is stopped anyway.")
    long drainTimeoutMillis() default ServiceSpecs.DEFAULT_DRAIN_TIMEOUT_MILLIS;

    @AttributeDefinition(name = "Process", required = false,
            description = "The libmsf process configuration (proc_name) this service came from, if any.")
    String process() default "";
}
