package io.msf.config.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The keys of a configuration whose values are passwords (Metatype's {@code PASSWORD} type), which no
 * message repeats: not into the log, nor into {@code config:rejected}. A service configuration's
 * {@code param.*} keys are the passwords of the PID they go to ({@link ServiceParams}). Without a
 * description nothing is known to be a password.
 */
final class SecretKeys {

    /** For what is never shown, or where no description is known. */
    static final Predicate<String> NONE = key -> false;

    private SecretKeys() {
    }

    /**
     * @param configurationPid the configuration's PID, {@code factoryPid~name} for a factory one
     * @param values its keys, for the {@code pid} a service configuration's parameters go to
     */
    static Predicate<String> of(String configurationPid, Map<String, ?> values,
            Function<String, Optional<Description>> descriptions) {
        String pid = Pids.base(configurationPid);
        return of(pid, Pids.name(configurationPid), values, descriptions.apply(pid), descriptions);
    }

    /**
     * @param pid the PID or factory PID
     * @param name the factory configuration's name, or null
     * @param described the description of {@code pid}, if there is one
     */
    static Predicate<String> of(String pid, String name, Map<String, ?> values, Optional<Description> described,
            Function<String, Optional<Description>> descriptions) {
        Set<String> own = passwords(described);
        if (!ServiceParams.SERVICE_FACTORY_PID.equals(pid)) {
            return own::contains;
        }
        String target = ServiceParams.targetPid(name, unquoted(values.get("pid")));
        Set<String> params = passwords(descriptions.apply(Pids.base(target)));
        return key -> own.contains(key) || key.startsWith(ServiceParams.PREFIX)
                && params.contains(key.substring(ServiceParams.PREFIX.length()));
    }

    /**
     * A {@code .config} file of plain and typed values is read as text, each typed value with its
     * quotes ({@code "msf.log"}): the PID it names still tells which keys are passwords.
     */
    private static Object unquoted(Object value) {
        return value instanceof String text && text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
                ? text.substring(1, text.length() - 1) : value;
    }

    private static Set<String> passwords(Optional<Description> described) {
        return described.map(d -> passwords(d.ocd())).orElse(Set.of());
    }

    /** The keys {@code ocd} types PASSWORD; none for no description. */
    static Set<String> passwords(ObjectClassDefinition ocd) {
        AttributeDefinition[] ads = ocd == null ? null : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        return ads == null ? Set.of() : Arrays.stream(ads).filter(ad -> ad.getType() == AttributeDefinition.PASSWORD)
                .map(AttributeDefinition::getID).collect(Collectors.toSet());
    }
}
