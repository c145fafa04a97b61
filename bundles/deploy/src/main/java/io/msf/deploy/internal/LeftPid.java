package io.msf.deploy.internal;

import io.msf.deploy.internal.Readiness.Verdict;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.log.LogEntry;

/**
 * Whether a running bundle's components that read the PID a live change of {@code pid} left are
 * still up without it: the change deletes the bundle's configuration under the old PID, so they
 * get their defaults, and DS deactivates one whose configuration policy requires a configuration.
 * Each that was active (or, delayed, satisfied) just before the change must be so again once DS has
 * taken the deletion; one that is not, fails the change as a component that did not take it does
 * ({@link ParamsTaken}). Those that were down before are not the change's business.
 */
final class LeftPid {

    /**
     * The PID one bundle's components no longer read.
     *
     * @param pid the PID the version read before the change ({@code pid}, or {@code factoryPid~name})
     * @param targetedPid the bundle's configuration under it, which the change deleted ({@link ParamConfigs#targeted})
     * @param upBefore the names of the bundle's components that read it and were up just before the change
     */
    record Change(String pid, String targetedPid, Set<String> upBefore) {
    }

    private LeftPid() {
    }

    /** @param logged what the Log service recorded for the bundle since just before the change */
    static Readiness of(String bundle, Change change, Collection<Readiness.Component> components,
            List<LogEntry> logged) {
        List<String> waiting = new ArrayList<>();
        for (Readiness.Component component : components) {
            ComponentDescriptionDTO description = component.description();
            if (!component.enabled() || !change.upBefore().contains(description.name)) {
                continue; // disabled meanwhile by someone else: not the change's doing
            }
            String read = "component " + description.name + " read the old PID " + change.pid();
            String thrown = ParamsTaken.modifiedThrew(description, logged);
            if (thrown != null) {
                return new Readiness(Verdict.FAILED, bundle + ": " + read + ": its modified method threw " + thrown);
            }
            if (component.configurations().isEmpty()) {
                return new Readiness(Verdict.FAILED, bundle + ": " + read + " and is no longer active without its"
                        + " configuration (configuration policy " + description.configurationPolicy + ")");
            }
            for (ComponentConfigurationDTO configuration : component.configurations()) {
                String notUp = notUp(description, configuration, change);
                if (notUp == null) {
                    continue;
                }
                if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION
                        || configuration.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
                    return new Readiness(Verdict.FAILED, bundle + ": " + read + " and " + notUp);
                }
                waiting.add(read + " and " + notUp);
            }
        }
        return waiting.isEmpty() ? Readiness.READY
                : new Readiness(Verdict.WAITING, bundle + ": " + String.join("; ", waiting));
    }

    /** Why the component configuration is not up without the old PID (yet); null if it is. */
    private static String notUp(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration,
            Change change) {
        if (ParamsTaken.names(configuration.properties.get(Constants.SERVICE_PID)).contains(change.targetedPid())) {
            return "still has its parameters"; // DS has not taken the deletion yet
        }
        return switch (configuration.state) {
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "failed to activate without its parameters: "
                    + Readiness.firstLine(configuration.failure);
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "is no longer active without its"
                    + " configuration (configuration policy " + description.configurationPolicy + ")";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "waits for "
                    + Readiness.missing(configuration.unsatisfiedReferences);
            case ComponentConfigurationDTO.SATISFIED -> description.immediate
                    ? "has not been activated again yet" : null;
            default -> null; // ACTIVE
        };
    }
}
