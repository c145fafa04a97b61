package io.msf.config.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/** The gate between the watched config directory and Config Admin. */
@ProviderType
public interface ConfigValidation {

    /** Files whose last version was rejected (the configuration before it is still in force). */
    List<ConfigProblem> rejected();

    /**
     * The problems the gate would find in these properties as the configuration {@code pid}, checked
     * as a file of them would be: against the Metatype description of the PID, and for a service
     * configuration ({@code msf.service~<name>}) its {@code param.*} keys against the description of
     * the service's own PID. For a change made through Config Admin, which passes no file: the
     * console checks a value before it writes it.
     *
     * @param pid the PID; for a factory configuration {@code factoryPid~name}
     * @param properties the whole configuration, as it would be with the change
     * @return the problems, with an empty {@code file} and line 0; empty if there are none, if the PID
     *         has no description (its bundle is not installed), or if the gate is disabled
     * @since 1.1
     */
    default List<ConfigProblem> check(String pid, Map<String, ?> properties) {
        return List.of();
    }

    /**
     * The keys of the configuration {@code pid} whose values are passwords (Metatype type PASSWORD):
     * what the gate never repeats in a message, and a console shows hidden.
     *
     * @param pid the PID, or a factory PID; {@code factoryPid~name} stands for its factory PID
     * @return the keys; empty if the PID has no description (its bundle is not installed)
     * @since 1.2
     */
    default Set<String> passwords(String pid) {
        return Set.of();
    }
}
